using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// The STN loop of one member (ALGORITHMS §1.5, Algorithm 1): warm-up weight steps, then
/// cycles of T_train weight steps on the training split, with per-example perturbed
/// hyperparameters driving augmentation, dropout and the hyper-layer gates, and T_val hyper
/// steps on the validation split, where the model runs in evaluation mode and λ̃ (and σ) descend
/// CE − τ·H(σ) through the gates. Weights never see validation data; λ never sees training loss.
/// Runs on the member's actor thread.
/// </summary>
public sealed class StnTrainer
{
    private readonly Classifier model;
    private readonly HyperparameterSpace space;
    private readonly HyperInput input;
    private readonly StnRegularizers regularizers;
    private readonly Optimizer weights;
    private readonly Optimizer hyper;
    private readonly StnOptions options;
    private long weightSteps;
    private long hyperSteps;

    /// <summary>
    /// Wires a self-tuning classifier (built with <paramref name="input"/>) to its optimizers;
    /// dropouts the space does not tune use <paramref name="fixedRates"/> (absent: none);
    /// <paramref name="targeted"/> (optional) is targeted dropout, its α <c>dropout.targeted</c>.
    /// </summary>
    public StnTrainer(Classifier model, HyperparameterSpace space, HyperInput input, Optimizer weightOptimizer, Optimizer hyperOptimizer,
        StnOptions? options = null, IReadOnlyDictionary<string, double>? fixedRates = null, TargetedDropout? targeted = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weightOptimizer);
        ArgumentNullException.ThrowIfNull(hyperOptimizer);
        if (input.Count != space.Count)
        {
            throw new ArgumentException($"the model's hyper layers take {input.Count} hyperparameters but the space has {space.Count}.");
        }

        this.model = model;
        this.space = space;
        this.input = input;
        weights = weightOptimizer;
        hyper = hyperOptimizer;
        this.options = options ?? new StnOptions();
        this.options.Validate();
        regularizers = new StnRegularizers(space, model, fixedRates, targeted);
    }

    /// <summary>Weight steps taken.</summary>
    public long WeightSteps => weightSteps;

    /// <summary>Hyper steps taken.</summary>
    public long HyperSteps => hyperSteps;

    /// <summary>Puts the schedule where a checkpoint left it (the counters decide what comes <see cref="Next"/>).</summary>
    public void Restore(long weightStepsTaken, long hyperStepsTaken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weightStepsTaken);
        ArgumentOutOfRangeException.ThrowIfNegative(hyperStepsTaken);
        weightSteps = weightStepsTaken;
        hyperSteps = hyperStepsTaken;
    }

    /// <summary>What the schedule asks for next: warm-up, then T_train weight steps and T_val hyper steps.</summary>
    public StnStepKind Next
    {
        get
        {
            if (weightSteps < options.WarmupSteps) return StnStepKind.Weight;
            var cycle = options.TrainSteps + options.ValSteps;
            var position = (weightSteps - options.WarmupSteps + hyperSteps) % cycle;
            return position < options.TrainSteps ? StnStepKind.Weight : StnStepKind.Hyper;
        }
    }

    /// <summary>
    /// Draws per-example perturbed hyperparameters for the next training batch of
    /// <paramref name="batch"/> examples. The caller augments the batch with
    /// <see cref="HyperSample.Column"/> values, then passes the sample to <see cref="WeightStep"/>.
    /// </summary>
    public HyperSample Sample(int batch)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter();
        var h = space.Sample(batch);                                   // (B, n), λ̃ + σε
        return new HyperSample(space, h, space.Constrain(h));
    }

    /// <summary>One weight step on a training batch x (B, C, H, W), y (B); returns the loss.</summary>
    public double WeightStep(Tensor images, Tensor labels, HyperSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        using var scope = TensorScope.Begin();
        model.Train();
        input.Set(sample.GateInput);
        regularizers.Set(sample);
        try
        {
            var loss = Functional.CrossEntropy(model.Forward(regularizers.Input(images)), labels);
            loss.Backward();
            weights.Step();
            weightSteps++;
            return loss.ToDouble();
        }
        finally
        {
            regularizers.Clear();
            input.Clear();
        }
    }

    /// <summary>One hyper step on a validation batch (no augmentation); returns the validation loss.</summary>
    public double HyperStep(Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = TensorScope.Begin();
        model.Eval();
        var batch = images.Shape[0];
        var h = options.TuneScales ? space.Sample(batch) : space.Center(batch);     // (B, n), differentiable in λ̃, s
        input.Set(h);

        // With targeted dropout, L_V is the loss of the network pruned at γ, the one that will
        // be exported: α then descends towards the rate whose best response survives pruning.
        regularizers.Prune();
        try
        {
            var logits = model.Forward(images);                                       // (B, K)
            var loss = Functional.CrossEntropy(logits, labels);
            var scored = options.CalibratedObjective
                ? Functional.CrossEntropy(logits * (1.0 / TemperatureFit.Best(logits.ToArray<float>(), labels.ToArray<long>())), labels)
                : loss;
            var objective = scored - space.Entropy() * options.EntropyWeight;

            // Gradients for λ̃ and s only: autograd skips every weight gradient (a conv's
            // backward then computes only its input gradient), which a full backward would
            // compute and the weights would have to drop again.
            var targets = hyper.Targets;
            var grads = Autograd.Grad([objective], targets.Select(t => t.Value).ToList(), allowUnused: true);
            for (var i = 0; i < targets.Count; i++) targets[i].Value.SetGrad(grads[i]);
            hyper.Step();
            hyperSteps++;
            return loss.ToDouble();
        }
        finally
        {
            regularizers.Clear();
            input.Clear();
            model.Train();
        }
    }

    /// <summary>Logits for evaluation: evaluation mode, gates fed the current unperturbed λ̃.</summary>
    public Tensor Evaluate(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter();
        model.Eval();
        input.Set(space.Center(images.Shape[0]));
        try
        {
            return scope.Keep(model.Forward(images));
        }
        finally
        {
            input.Clear();
            model.Train();
        }
    }
}
