using System.Globalization;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Where a run stands: steps, batches drawn from each loader (their resume positions), training
/// time, the highest validation accuracy so far and the kept model's scores. Saved in every
/// checkpoint's metadata.
/// </summary>
internal sealed class RunCounters
{
    private const string Prefix = "run.";

    public long WeightSteps { get; set; }

    public long HyperSteps { get; set; }

    public long TrainBatches { get; set; }

    public long ValidationBatches { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>The kept model's validation accuracy (see <see cref="TryKeep"/>).</summary>
    public double KeptValidationAccuracy { get; set; } = double.NegativeInfinity;

    /// <summary>The kept model's validation loss.</summary>
    public double KeptValidationLoss { get; set; } = double.PositiveInfinity;

    /// <summary>The highest validation accuracy any model of the run has scored: the top of the band a kept model must be in.</summary>
    public double TopValidationAccuracy { get; set; } = double.NegativeInfinity;

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
    /// Whether a model scoring <paramref name="accuracy"/> and <paramref name="loss"/> on
    /// <paramref name="images"/> validation images replaces the kept one: it does when its
    /// accuracy is within one standard error, √(p(1−p)/n), of the highest any model of the run
    /// has scored (this one included), and its loss is finite. So the latest model wins unless
    /// it is measurably worse. The best of many noisy scores is biased towards whichever model
    /// was lucky on the split: on the 300 validation images of a 2,000-image dataset (standard
    /// error 1.9 points) keeping the best of ~100 per-epoch scores tested 0.92 points under the
    /// last model for self-tuning and 0.18 for fixed hyperparameters (three seeds each,
    /// docs/accuracy.md); on the full set's 9,000 images the band is 0.27 points and the latest
    /// model is also the best in a run that still improves.
    /// </summary>
    public bool ShouldKeep(double accuracy, double loss, int images)
    {
        if (double.IsNaN(accuracy) || !double.IsFinite(loss)) return false;
        var top = Math.Max(TopValidationAccuracy, accuracy);
        return accuracy >= top - StandardError(top, images);
    }

    /// <summary>Records a validation score: the top of the band, and the kept model's scores when <see cref="ShouldKeep"/>; returns whether it is kept.</summary>
    public bool TryKeep(double accuracy, double loss, int images)
    {
        var keep = ShouldKeep(accuracy, loss, images);
        if (!double.IsNaN(accuracy)) TopValidationAccuracy = Math.Max(TopValidationAccuracy, accuracy);
        if (!keep) return false;
        KeptValidationAccuracy = accuracy;
        KeptValidationLoss = loss;
        return true;
    }

    /// <summary>The standard error of an accuracy <paramref name="p"/> measured on <paramref name="images"/> images.</summary>
    public static double StandardError(double p, int images) =>
        images <= 0 || !double.IsFinite(p) ? 0 : Math.Sqrt(Math.Clamp(p, 0, 1) * (1 - Math.Clamp(p, 0, 1)) / images);

    public void WriteTo(CheckpointContent content)
    {
        content.Metadata[Prefix + "weight_steps"] = WeightSteps.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "hyper_steps"] = HyperSteps.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "train_batches"] = TrainBatches.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "validation_batches"] = ValidationBatches.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "elapsed_ticks"] = Elapsed.Ticks.ToString(CultureInfo.InvariantCulture);
        // The kept model's scores keep the names they had when the kept model was the best one.
        content.Metadata[Prefix + "best_validation_accuracy"] = KeptValidationAccuracy.ToString("R", CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "best_validation_loss"] = KeptValidationLoss.ToString("R", CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "top_validation_accuracy"] = TopValidationAccuracy.ToString("R", CultureInfo.InvariantCulture);
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
        var kept = double.Parse(Get("best_validation_accuracy"), CultureInfo.InvariantCulture);
        return new RunCounters
        {
            WeightSteps = Long("weight_steps"),
            HyperSteps = Long("hyper_steps"),
            TrainBatches = Long("train_batches"),
            ValidationBatches = Long("validation_batches"),
            Elapsed = TimeSpan.FromTicks(Long("elapsed_ticks")),
            KeptValidationAccuracy = kept,
            // Absent from checkpoints written before ties were broken by loss.
            KeptValidationLoss = Optional("best_validation_loss") is { } loss ? double.Parse(loss, CultureInfo.InvariantCulture) : double.PositiveInfinity,
            // Absent from checkpoints written when the best model was kept: that model's accuracy was the top.
            TopValidationAccuracy = Optional("top_validation_accuracy") is { } top ? double.Parse(top, CultureInfo.InvariantCulture) : kept,
            // Absent from checkpoints written before recoveries backed off: those never did.
            StepScale = Optional("step_scale") is { } scale ? double.Parse(scale, CultureInfo.InvariantCulture) : 1,
            StableSteps = Optional("stable_steps") is { } stable ? long.Parse(stable, CultureInfo.InvariantCulture) : 0,
        };
    }
}
