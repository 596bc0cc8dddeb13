using System.Globalization;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Where a run stands: steps, batches drawn from each loader (their resume positions), training
/// time and the best validation accuracy and loss. Saved in every checkpoint's metadata.
/// </summary>
internal sealed class RunCounters
{
    private const string Prefix = "run.";

    public long WeightSteps { get; set; }

    public long HyperSteps { get; set; }

    public long TrainBatches { get; set; }

    public long ValidationBatches { get; set; }

    public TimeSpan Elapsed { get; set; }

    public double BestValidationAccuracy { get; set; } = double.NegativeInfinity;

    /// <summary>The best model's validation loss: among equally accurate models the lower loss is kept.</summary>
    public double BestValidationLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Multiplier on every weight step, halved by each divergence recovery and doubled back after a stable stretch.</summary>
    public double StepScale { get; set; } = 1;

    /// <summary>Weight steps since the step scale last changed, counted while it is below 1.</summary>
    public long StableSteps { get; set; }

    /// <summary>A divergence recovery: every later step is half as large, until it proves stable.</summary>
    public void BackOff()
    {
        StepScale /= 2;
        StableSteps = 0;
    }

    /// <summary>
    /// Counts one weight step that did not diverge; after <paramref name="stretch"/> of them at a
    /// reduced scale the scale doubles (up to 1), as a dynamic loss scaler regrows. Returns
    /// whether it grew. Without regrowth, one transient spike at the peak of a one-cycle
    /// schedule left SGD at a quarter of its rate for the rest of a bench run (test 0.8926
    /// where its runs without spikes reach 0.908–0.913).
    /// </summary>
    public bool StableStep(long stretch)
    {
        if (StepScale >= 1) return false;
        if (++StableSteps < stretch) return false;
        StepScale = Math.Min(1, StepScale * 2);
        StableSteps = 0;
        return true;
    }

    /// <summary>
    /// Whether a model scoring <paramref name="accuracy"/> and <paramref name="loss"/> on the
    /// validation split beats the best so far: more accurate, or as accurate with a lower loss.
    /// </summary>
    public bool IsNewBest(double accuracy, double loss) =>
        accuracy > BestValidationAccuracy || (accuracy == BestValidationAccuracy && loss < BestValidationLoss);

    /// <summary>Records a validation score as the best when <see cref="IsNewBest"/>; returns whether it did.</summary>
    public bool TryRecordBest(double accuracy, double loss)
    {
        if (!IsNewBest(accuracy, loss)) return false;
        BestValidationAccuracy = accuracy;
        BestValidationLoss = loss;
        return true;
    }

    public void WriteTo(CheckpointContent content)
    {
        content.Metadata[Prefix + "weight_steps"] = WeightSteps.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "hyper_steps"] = HyperSteps.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "train_batches"] = TrainBatches.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "validation_batches"] = ValidationBatches.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "elapsed_ticks"] = Elapsed.Ticks.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "best_validation_accuracy"] = BestValidationAccuracy.ToString("R", CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "best_validation_loss"] = BestValidationLoss.ToString("R", CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "step_scale"] = StepScale.ToString("R", CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "stable_steps"] = StableSteps.ToString(CultureInfo.InvariantCulture);
    }

    public static RunCounters ReadFrom(CheckpointContent content)
    {
        string Get(string key) => content.Metadata.TryGetValue(Prefix + key, out var v)
            ? v
            : throw new CheckpointException(content.SourcePath ?? "(in memory)", $"has no '{Prefix + key}' entry; it was not written by 'hyperswarm train'");
        long Long(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);
        // Entries added after the first checkpoints: an older file reads as the run it described.
        string? Optional(string key) => content.Metadata.TryGetValue(Prefix + key, out var v) ? v : null;
        return new RunCounters
        {
            WeightSteps = Long("weight_steps"),
            HyperSteps = Long("hyper_steps"),
            TrainBatches = Long("train_batches"),
            ValidationBatches = Long("validation_batches"),
            Elapsed = TimeSpan.FromTicks(Long("elapsed_ticks")),
            BestValidationAccuracy = double.Parse(Get("best_validation_accuracy"), CultureInfo.InvariantCulture),
            // Absent from checkpoints written before ties were broken by loss: any later tie then wins.
            BestValidationLoss = Optional("best_validation_loss") is { } loss ? double.Parse(loss, CultureInfo.InvariantCulture) : double.PositiveInfinity,
            // Absent from checkpoints written before recoveries backed off: those never did.
            StepScale = Optional("step_scale") is { } scale ? double.Parse(scale, CultureInfo.InvariantCulture) : 1,
            StableSteps = Optional("stable_steps") is { } stable ? long.Parse(stable, CultureInfo.InvariantCulture) : 0,
        };
    }
}
