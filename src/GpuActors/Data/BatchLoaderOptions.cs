using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Data;

/// <summary>How a <see cref="BatchLoader"/> orders, cuts and prepares batches.</summary>
public sealed record BatchLoaderOptions
{
    /// <summary>Examples per batch (B).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Reshuffle the examples at every epoch (seeded); otherwise keep the given order.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Skip an epoch's last, smaller batch.</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Whether batches may be augmented; evaluation loaders refuse augmentation values.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Passes over the examples before the loader runs dry; null repeats forever.</summary>
    public int? Epochs { get; init; }

    /// <summary>Seeds the epoch shuffles and the augmentation draws.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Batches to skip before the first one delivered, counted over epochs (epoch·batches + index):
    /// a resumed run passes the number its checkpoint had consumed.
    /// </summary>
    public long StartBatch { get; init; }

    /// <summary>Batches the background producer may prepare ahead of the consumer.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Where the batch tensors live.</summary>
    public Device Device { get; init; } = Device.Cpu;

    /// <summary>Training: shuffled every epoch, drop-last, augmentable, endless.</summary>
    public static BatchLoaderOptions Training(int batchSize = 128, int seed = 0) =>
        new() { BatchSize = batchSize, Seed = seed };

    /// <summary>Evaluation: one pass in order, keeping the last partial batch, never augmented.</summary>
    public static BatchLoaderOptions Evaluation(int batchSize = 128) =>
        new() { BatchSize = batchSize, Shuffle = false, DropLast = false, Augment = false, Epochs = 1 };
}
