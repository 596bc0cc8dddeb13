using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// The weight optimizer of a run and its schedule. AGD picks its own step size and only cools
/// the last <see cref="OptimizerConfig.Cooldown"/> share of a run with a known end; SGD follows
/// a one-cycle policy over the run's progress; Adam keeps its constant rate (the baseline as
/// users run it).
/// </summary>
internal sealed class WeightOptimizer : IDisposable
{
    // The one-cycle schedule is laid over this many virtual steps and indexed by the run's
    // progress fraction, because a time budget fixes the length only in seconds.
    private const long ScheduleResolution = 100_000;

    private readonly OneCycleSchedule? oneCycle;
    private readonly double cooldown;
    private readonly double adamRate;

    public WeightOptimizer(OptimizerConfig config, Classifier model, string modelKind)
    {
        var parameters = model.NamedParameters().ToList();
        switch (config.Kind)
        {
            case "agd":
                AgdInit.Apply(parameters);
                Optimizer = new Agd(parameters, config.EffectiveGain(modelKind), config.Momentum, config.WeightDecay, config.EffectiveSpectral(modelKind));
                cooldown = config.Cooldown;
                break;
            case "adam":
                adamRate = config.EffectiveLearningRate;
                Optimizer = new Adam(parameters, adamRate, weightDecay: config.WeightDecay);
                break;
            case "sgd":
                oneCycle = new OneCycleSchedule(config.EffectiveLearningRate, ScheduleResolution);
                Optimizer = new Sgd(parameters, oneCycle.LearningRate(0), momentum: oneCycle.Momentum(0), nesterov: false, weightDecay: config.WeightDecay);
                break;
            default:
                throw new ArgumentException($"unknown optimizer '{config.Kind}'.");
        }
    }

    public Optimizer Optimizer { get; }

    /// <summary>The current learning rate, or null for AGD (which has none).</summary>
    public double? LearningRate => Optimizer switch
    {
        Sgd sgd => sgd.LearningRate,
        Adam adam => adam.LearningRate,
        _ => null,
    };

    /// <summary>
    /// Sets the schedule's values for a run that is <paramref name="progress"/> (0–1) done
    /// (0 throughout for a run with no known end), every step scaled by <paramref name="scale"/>
    /// in (0, 1] (below 1 after a divergence: AGD's gain, SGD's and Adam's rate shrink alike).
    /// </summary>
    public void Schedule(double progress, double scale = 1)
    {
        if (!(scale is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the step scale must be in (0, 1]");
        switch (Optimizer)
        {
            case Agd agd:
                agd.Cooling = Cooling(progress, cooldown) * scale;
                break;
            case Sgd sgd when oneCycle is not null:
                oneCycle.Apply(sgd, (long)(Math.Clamp(progress, 0, 1) * (ScheduleResolution - 1)));
                sgd.LearningRate *= scale;
                break;
            case Adam adam:
                adam.LearningRate = adamRate * scale;
                break;
        }
    }

    /// <summary>AGD's step multiplier: 1 until the last <paramref name="cooldown"/> of the run, then linearly down to 0 at its end.</summary>
    public static double Cooling(double progress, double cooldown) =>
        cooldown > 0 ? Math.Clamp((1 - progress) / cooldown, 0, 1) : 1;

    public void Dispose() => Optimizer.Dispose();
}
