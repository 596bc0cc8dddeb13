namespace HyperSwarm.GpuActors.Training;

/// <summary>A snapshot of a run for progress displays, taken every <c>log_every_steps</c> weight steps.</summary>
public sealed record TrainingProgress
{
    /// <summary>What the run is doing: <c>warm-up</c>, <c>self-tuning</c>, <c>training</c> or <c>evaluating</c>.</summary>
    public required string Phase { get; init; }

    /// <summary>Passes over the training split so far (fractional).</summary>
    public required double Epoch { get; init; }

    /// <summary>Weight steps taken.</summary>
    public required long WeightSteps { get; init; }

    /// <summary>Hyper steps taken.</summary>
    public required long HyperSteps { get; init; }

    /// <summary>Training time so far (across resumes).</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>How far the run is towards its first limit, 0–1.</summary>
    public required double Fraction { get; init; }

    /// <summary>Mean training loss since the previous snapshot.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>Mean validation loss of the hyper steps since the previous snapshot (NaN before any).</summary>
    public required double HyperLoss { get; init; }

    /// <summary>The latest full validation evaluation, if any.</summary>
    public Evaluation? Validation { get; init; }

    /// <summary>Training images per second since the previous snapshot.</summary>
    public required double ImagesPerSecond { get; init; }

    /// <summary>The baseline optimizer's current learning rate; null for AGD.</summary>
    public double? LearningRate { get; init; }

    /// <summary>AGD's latest automatic step size η; null for the baselines.</summary>
    public double? AgdStepSize { get; init; }

    /// <summary>Every hyperparameter's current value (tuned: λ; fixed: its setting).</summary>
    public required IReadOnlyDictionary<string, double> Hyperparameters { get; init; }

    /// <summary>Names of the tuned hyperparameters.</summary>
    public required IReadOnlySet<string> Tuned { get; init; }
}
