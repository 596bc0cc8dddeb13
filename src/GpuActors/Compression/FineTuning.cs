using System.Diagnostics;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Compression;

/// <summary>
/// A short AGD run after pruning (<c>export --finetune</c>) that recovers accuracy: the plan's
/// masks stay on the network throughout, so pruned weights and removed channels get no gradient
/// and the network trained is exactly the one exported with the same plan. Every parameter
/// trains (hyper gates fed the final λ̃, which stays put); AGD's step is cooled linearly to 0
/// over the budget, as a run with a known end cools its last stretch. Training images are read
/// unaugmented, in a seeded shuffle. Run it on the model's thread.
/// </summary>
public static class FineTuning
{
    /// <summary>Images per step, the trainer's default batch.</summary>
    public const int BatchSize = 128;

    /// <summary>Trains <paramref name="model"/> pruned by <paramref name="plan"/> on <paramref name="train"/>; returns the weight steps taken.</summary>
    public static long Run(ExportedModel model, PruningPlan plan, ImageDataset train, FineTuneBudget budget, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(budget);
        budget.Validate();
        var masks = plan.ApplyMasks();
        var config = new OptimizerConfig { Kind = "agd" };
        var kind = model.Card.Model.Kind;
        Torch.Torch.ManualSeed(seed);
        try
        {
            using var agd = new Agd(model.Model.NamedParameters(), config.EffectiveGain(kind), config.Momentum, config.WeightDecay, config.EffectiveSpectral(kind));
            using var loader = new BatchLoader(train, [.. Enumerable.Range(0, train.Count)], model.Normalization,
                BatchLoaderOptions.Training(Math.Min(BatchSize, train.Count), seed) with { Augment = false });
            model.Model.Train();
            var clock = Stopwatch.StartNew();
            long steps = 0;
            while (!cancellationToken.IsCancellationRequested && Progress(budget, steps, clock.Elapsed) is var progress && progress < 1)
            {
                agd.Cooling = 1 - progress;
                using var scope = TensorScope.Begin();
                var batch = loader.Next();
                Functional.CrossEntropy(model.Forward(batch.Images), batch.Labels).Backward();
                agd.Step();
                steps++;
            }

            return steps;
        }
        finally
        {
            model.Model.Eval();
            plan.ClearMasks();
            foreach (var mask in masks) mask.Dispose();
        }
    }

    // How far through the budget, 0–1: the larger of the step and the time fractions.
    private static double Progress(FineTuneBudget budget, long steps, TimeSpan elapsed)
    {
        var byTime = budget.Duration is { } d ? elapsed / d : 0;
        var bySteps = budget.Steps is { } s ? (double)steps / s : 0;
        return Math.Max(byTime, bySteps);
    }
}
