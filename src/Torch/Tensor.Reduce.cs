using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>Sum of all elements (a 0-d tensor).</summary>
    public Tensor Sum() => Sum([]);

    /// <summary>Sum over <paramref name="dims"/>.</summary>
    public Tensor Sum(ReadOnlySpan<long> dims, bool keepDim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_sum(Handle, d, dims.Length, keepDim ? 1 : 0, out var r), r, "hs_sum");
        }
    }

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => Mean([]);

    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public Tensor Mean(ReadOnlySpan<long> dims, bool keepDim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_mean(Handle, d, dims.Length, keepDim ? 1 : 0, out var r), r, "hs_mean");
        }
    }

    /// <summary>Variance over <paramref name="dims"/> (all when empty); unbiased by default, as in PyTorch.</summary>
    public Tensor Var(ReadOnlySpan<long> dims, bool unbiased = true, bool keepDim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_var(Handle, d, dims.Length, unbiased ? 1 : 0, keepDim ? 1 : 0, out var r), r, "hs_var");
        }
    }

    /// <summary>p-norm over <paramref name="dims"/> (all when empty).</summary>
    public Tensor Norm(double p = 2, ReadOnlySpan<long> dims = default, bool keepDim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_norm(Handle, p, d, dims.Length, keepDim ? 1 : 0, out var r), r, "hs_norm");
        }
    }

    /// <summary>log Σ exp over <paramref name="dims"/>, computed stably.</summary>
    public Tensor LogSumExp(ReadOnlySpan<long> dims, bool keepDim = false)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_logsumexp(Handle, d, dims.Length, keepDim ? 1 : 0, out var r), r, "hs_logsumexp");
        }
    }

    /// <summary>The largest element (0-d).</summary>
    public Tensor Max() => Wrap(Native.hs_max_all(Handle, out var r), r, "hs_max_all");

    /// <summary>The smallest element (0-d).</summary>
    public Tensor Min() => Wrap(Native.hs_min_all(Handle, out var r), r, "hs_min_all");

    /// <summary>Largest values along <paramref name="dim"/> and where they are.</summary>
    public (Tensor Values, Tensor Indices) Max(long dim, bool keepDim = false)
    {
        Native.Check(Native.hs_max_dim(Handle, dim, keepDim ? 1 : 0, out var v, out var i), "hs_max_dim");
        return (new Tensor(v), new Tensor(i));
    }

    /// <summary>Index of the largest element, over all elements (flattened).</summary>
    public Tensor ArgMax() => Wrap(Native.hs_argmax(Handle, 0, 0, 0, out var r), r, "hs_argmax");

    /// <summary>Index of the largest element along <paramref name="dim"/>.</summary>
    public Tensor ArgMax(long dim, bool keepDim = false) =>
        Wrap(Native.hs_argmax(Handle, 1, dim, keepDim ? 1 : 0, out var r), r, "hs_argmax");
}
