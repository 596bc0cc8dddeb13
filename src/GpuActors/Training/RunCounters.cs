using System.Globalization;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Where a run stands: steps, batches drawn from each loader (their resume positions), training
/// time and the best validation accuracy. Saved in every checkpoint's metadata.
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

    /// <summary>Multiplier on every weight step, halved by each divergence recovery.</summary>
    public double StepScale { get; set; } = 1;

    public void WriteTo(CheckpointContent content)
    {
        content.Metadata[Prefix + "weight_steps"] = WeightSteps.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "hyper_steps"] = HyperSteps.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "train_batches"] = TrainBatches.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "validation_batches"] = ValidationBatches.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "elapsed_ticks"] = Elapsed.Ticks.ToString(CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "best_validation_accuracy"] = BestValidationAccuracy.ToString("R", CultureInfo.InvariantCulture);
        content.Metadata[Prefix + "step_scale"] = StepScale.ToString("R", CultureInfo.InvariantCulture);
    }

    public static RunCounters ReadFrom(CheckpointContent content)
    {
        string Get(string key) => content.Metadata.TryGetValue(Prefix + key, out var v)
            ? v
            : throw new CheckpointException(content.SourcePath ?? "(in memory)", $"has no '{Prefix + key}' entry; it was not written by 'hyperswarm train'");
        long Long(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);
        return new RunCounters
        {
            WeightSteps = Long("weight_steps"),
            HyperSteps = Long("hyper_steps"),
            TrainBatches = Long("train_batches"),
            ValidationBatches = Long("validation_batches"),
            Elapsed = TimeSpan.FromTicks(Long("elapsed_ticks")),
            BestValidationAccuracy = double.Parse(Get("best_validation_accuracy"), CultureInfo.InvariantCulture),
            // Absent from checkpoints written before recoveries backed off: those never did.
            StepScale = content.Metadata.TryGetValue(Prefix + "step_scale", out var scale) ? double.Parse(scale, CultureInfo.InvariantCulture) : 1,
        };
    }
}
