using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Training;

/// <summary>Callbacks a run makes on its own thread; each may be null. Keep them quick.</summary>
public sealed class TrainingObserver
{
    /// <summary>Every <c>log_every_steps</c> weight steps, and at the end.</summary>
    public Action<TrainingProgress>? Progress { get; init; }

    /// <summary>After every step: the weight step count, whether it was a hyper step, and its loss.</summary>
    public Action<long, bool, double>? Step { get; init; }

    /// <summary>After every evaluation: the split (<c>validation</c> or <c>test</c>) and its scores.</summary>
    public Action<string, Evaluation>? Evaluated { get; init; }

    /// <summary>While an image folder is decoded (before training; not on a cached folder): files done and total.</summary>
    public Action<ImageDecodeProgress>? Decoding { get; init; }

    /// <summary>A one-line notice (resumed, skipped a corrupt checkpoint, new best model).</summary>
    public Action<string>? Notice { get; init; }
}
