using System.Diagnostics;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Trainer;

/// <summary>
/// <c>stn_step_ratio</c>: the time of an STN weight step (per-example perturbed hyperparameters,
/// per-example dropout on the input and in every dense block, hyper 3×3 convs from the default
/// first hyper block on, hyper classifier)
/// over a plain step of the same DenseNet-BC, both with SGD, measured in alternation in one
/// process and thread. Also the cost of a whole STN cycle (T_train weight steps + T_val hyper
/// steps) over T_train plain steps.
/// </summary>
internal sealed class StnStepComparison : IDisposable
{
    private const int TrainSteps = 5;
    private readonly int batch;
    private readonly DenseNetBC plain;
    private readonly Sgd plainSgd;
    private readonly HyperparameterSpace space;
    private readonly DenseNetBC tuned;
    private readonly Sgd tunedSgd;
    private readonly Adam hyperAdam;
    private readonly StnTrainer trainer;
    private readonly Tensor x;
    private readonly Tensor y;

    public StnStepComparison(int batch, DenseNetOptions options)
    {
        this.batch = batch;
        Torch.Torch.ManualSeed(0);
        plain = new DenseNetBC(options);
        plainSgd = new Sgd(plain.NamedParameters(), learningRate: 0.01);
        space = new HyperparameterSpace(
        [
            HyperparameterSpec.Bounded("dropout.input", 0, 0.9, 0.05),
            HyperparameterSpec.Bounded("dropout.block1", 0, 0.9, 0.05),
            HyperparameterSpec.Bounded("dropout.block2", 0, 0.9, 0.05),
            HyperparameterSpec.Bounded("dropout.block3", 0, 0.9, 0.05),
        ]);
        var input = new HyperInput(space.Count);
        // Hyper layers where `hyperswarm train` puts them by default (model.first_hyper_block).
        tuned = new DenseNetBC(options with { FirstHyperBlock = new ModelConfig().FirstHyperBlock }, input);
        tunedSgd = new Sgd(tuned.NamedParameters(), learningRate: 0.01);
        hyperAdam = Adam.ForHyperparameters([("lambda", space.Unconstrained), ("scale", space.ScaleRaw)]);
        trainer = new StnTrainer(tuned, space, input, tunedSgd, hyperAdam, new StnOptions { WarmupSteps = 0, TrainSteps = TrainSteps, ValSteps = 1 });
        x = Torch.Torch.Randn([batch, 1, 28, 28]);     // (B, 1, 28, 28)
        y = Torch.Torch.RandInt(0, options.Classes, [batch]);
        PlainStep();
        StnStep();
        trainer.HyperStep(x, y);
    }

    /// <summary>Median over rounds of (STN weight step / plain step) and of (STN cycle / T_train plain steps).</summary>
    public (double StepRatio, double CycleRatio) Measure(int rounds)
    {
        var stepRatios = new List<double>();
        var cycleRatios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var plainTime = Time(PlainStep);
            var stnTime = Time(StnStep);
            var hyperTime = Time(() => trainer.HyperStep(x, y));
            stepRatios.Add(stnTime / plainTime);
            cycleRatios.Add((TrainSteps * stnTime + hyperTime) / (TrainSteps * plainTime));
        }

        return (Interleaved.Median(stepRatios), Interleaved.Median(cycleRatios));
    }

    public void Dispose()
    {
        plainSgd.Dispose();
        plain.Dispose();
        tunedSgd.Dispose();
        hyperAdam.Dispose();
        tuned.Dispose();
        space.Dispose();
        x.Dispose();
        y.Dispose();
    }

    private static double Time(Action step)
    {
        var sw = Stopwatch.StartNew();
        step();
        return sw.Elapsed.TotalSeconds;
    }

    private void PlainStep()
    {
        using var scope = TensorScope.Begin();
        Functional.CrossEntropy(plain.Forward(x), y).Backward();
        plainSgd.Step();
    }

    private void StnStep()
    {
        using var scope = TensorScope.Begin();
        using var sample = trainer.Sample(batch);
        trainer.WeightStep(x, y, sample);
    }
}
