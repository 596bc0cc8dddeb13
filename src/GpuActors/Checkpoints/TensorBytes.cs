using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>Byte sizes of dense tensors, with the overflow checks a reader of untrusted headers needs.</summary>
public static class TensorBytes
{
    /// <summary>numel × element size, or null when a dimension is negative or the size exceeds <see cref="long.MaxValue"/>.</summary>
    public static long? Of(DType dtype, ReadOnlySpan<long> shape)
    {
        foreach (var d in shape)
        {
            if (d < 0) return null;
            if (d == 0) return 0;
        }

        long bytes = dtype.ElementSize();
        foreach (var d in shape)
        {
            if (bytes > long.MaxValue / d) return null;
            bytes *= d;
        }

        return bytes;
    }

    /// <inheritdoc cref="Of(DType, ReadOnlySpan{long})"/>
    public static long? Of(DType dtype, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Of(dtype, shape as long[] ?? shape.ToArray());
    }
}
