using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The libtorch tensors a loader refills every step: one full-size pair, and one pair for the
/// epoch's smaller last batch (the same size every epoch), each created on first use on the
/// consumer's thread and kept out of any <see cref="TensorScope"/>.
/// </summary>
internal sealed class BatchTensors(ImageShape shape, Device device) : IDisposable
{
    private (Tensor Images, Tensor Labels)? full;
    private (Tensor Images, Tensor Labels)? tail;

    /// <summary>(B, C, H, W) float32 and (B) int64 tensors for a batch of <paramref name="count"/>, filled from host memory.</summary>
    public (Tensor Images, Tensor Labels) Fill(int count, int batchSize, ReadOnlySpan<float> images, ReadOnlySpan<long> labels)
    {
        var pair = count == batchSize ? (full ??= Create(count)) : Tail(count);
        pair.Images.CopyFrom(images);
        pair.Labels.CopyFrom(labels);
        return pair;
    }

    public void Dispose()
    {
        Free(full);
        Free(tail);
        full = tail = null;
    }

    private (Tensor Images, Tensor Labels) Tail(int count)
    {
        if (tail is { } t && t.Labels.Shape[0] != count)
        {
            Free(tail);
            tail = null;
        }

        return tail ??= Create(count);
    }

    private (Tensor Images, Tensor Labels) Create(int count)
    {
        var images = Torch.Torch.Empty([count, shape.Channels, shape.Height, shape.Width], DType.Float32, device).Escape(); // (B, C, H, W)
        var labels = Torch.Torch.Empty([count], DType.Int64, device).Escape();                                           // (B)
        return (images, labels);
    }

    private static void Free((Tensor Images, Tensor Labels)? pair)
    {
        pair?.Images.Dispose();
        pair?.Labels.Dispose();
    }
}
