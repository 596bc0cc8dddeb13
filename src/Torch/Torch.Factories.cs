using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public static unsafe partial class Torch
{
    /// <summary>Uninitialised memory of the given shape.</summary>
    public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_empty(s, shape.Length, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_empty");
        }
    }

    /// <summary>All zeros.</summary>
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_zeros(s, shape.Length, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_zeros");
        }
    }

    /// <summary>All ones.</summary>
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_ones(s, shape.Length, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_ones");
        }
    }

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_full(s, shape.Length, value, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_full");
        }
    }

    /// <summary>start, start+step, … below end.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device device = default) =>
        Tensor.Wrap(Native.hs_arange(start, end, step, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_arange");

    /// <summary>Uniform on [0, 1).</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_rand(s, shape.Length, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_rand");
        }
    }

    /// <summary>Standard normal.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_randn(s, shape.Length, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_randn");
        }
    }

    /// <summary>Integers uniform on [low, high).</summary>
    public static Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, DType dtype = DType.Int64, Device device = default)
    {
        fixed (long* s = shape)
        {
            return Tensor.Wrap(Native.hs_randint(low, high, s, shape.Length, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_randint");
        }
    }

    /// <summary>A random permutation of 0..n-1.</summary>
    public static Tensor RandPerm(long n, DType dtype = DType.Int64, Device device = default) =>
        Tensor.Wrap(Native.hs_randperm(n, (int)dtype, (int)device.Type, device.Index, out var r), r, "hs_randperm");

    /// <summary>Uniform on [0, 1) with the shape, dtype and device of <paramref name="like"/>.</summary>
    public static Tensor RandLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Tensor.Wrap(Native.hs_rand_like(like.Handle, out var r), r, "hs_rand_like");
    }

    /// <summary>Each element 1 with its own probability from <paramref name="probs"/>, else 0.</summary>
    public static Tensor Bernoulli(Tensor probs)
    {
        ArgumentNullException.ThrowIfNull(probs);
        return Tensor.Wrap(Native.hs_bernoulli(probs.Handle, out var r), r, "hs_bernoulli");
    }
}
