namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A reusable host slot the producer fills and the consumer drains: gathered [0, 1] float
/// pixels and labels plus the batch's place in the epoch. Arrays are pinned so native copies
/// read them without the GC moving them.
/// </summary>
internal sealed class HostBatch(int capacity, ImageShape shape)
{
    /// <summary>(B, C, H, W) in [0, 1]; only the first Count images are valid.</summary>
    public float[] Images { get; } = GC.AllocateUninitializedArray<float>(capacity * shape.Size, pinned: true);

    /// <summary>(B) class indices.</summary>
    public long[] Labels { get; } = GC.AllocateUninitializedArray<long>(capacity, pinned: true);

    public int Count { get; set; }

    public int Epoch { get; set; }

    public int Index { get; set; }

    public bool EndOfEpoch { get; set; }
}
