using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>Same data in a new shape (a view when possible, else a copy); −1 infers one size.</summary>
    public Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Wrap(Native.hs_reshape(Handle, s, shape.Length, out var r), r, "hs_reshape");
        }
    }

    /// <summary>A view in a new shape; fails when the strides do not allow one.</summary>
    public Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Wrap(Native.hs_view(Handle, s, shape.Length, out var r), r, "hs_view");
        }
    }

    /// <summary>Broadcasts size-1 dimensions to <paramref name="shape"/> without copying.</summary>
    public Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Wrap(Native.hs_expand(Handle, s, shape.Length, out var r), r, "hs_expand");
        }
    }

    /// <summary>Reorders dimensions.</summary>
    public Tensor Permute(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_permute(Handle, d, dims.Length, out var r), r, "hs_permute");
        }
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => Wrap(Native.hs_transpose(Handle, dim0, dim1, out var r), r, "hs_transpose");

    /// <summary>Merges dimensions start..end into one.</summary>
    public Tensor Flatten(long startDim = 0, long endDim = -1) =>
        Wrap(Native.hs_flatten(Handle, startDim, endDim, out var r), r, "hs_flatten");

    /// <summary>Drops every size-1 dimension.</summary>
    public Tensor Squeeze() => Wrap(Native.hs_squeeze(Handle, 0, 0, out var r), r, "hs_squeeze");

    /// <summary>Drops dimension <paramref name="dim"/> if its size is 1.</summary>
    public Tensor Squeeze(long dim) => Wrap(Native.hs_squeeze(Handle, 1, dim, out var r), r, "hs_squeeze");

    /// <summary>Inserts a size-1 dimension at <paramref name="dim"/>.</summary>
    public Tensor Unsqueeze(long dim) => Wrap(Native.hs_unsqueeze(Handle, dim, out var r), r, "hs_unsqueeze");

    /// <summary>A view of <paramref name="length"/> entries from <paramref name="start"/> along <paramref name="dim"/>.</summary>
    public Tensor Narrow(long dim, long start, long length) =>
        Wrap(Native.hs_narrow(Handle, dim, start, length, out var r), r, "hs_narrow");

    /// <summary>Reverses the order along <paramref name="dims"/>.</summary>
    public Tensor Flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims)
        {
            return Wrap(Native.hs_flip(Handle, d, dims.Length, out var r), r, "hs_flip");
        }
    }

    /// <summary>Pieces of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Split(long splitSize, long dim = 0)
    {
        var size = Shape[dim < 0 ? dim + Dim : dim];
        var count = splitSize > 0 ? Math.Max(1, (size + splitSize - 1) / splitSize) : 1;
        var raw = new nint[count];
        fixed (nint* o = raw)
        {
            Native.Check(Native.hs_split(Handle, splitSize, dim, o, count, out var made), "hs_split");
            return WrapAll(raw.AsSpan(0, (int)made));
        }
    }

    /// <summary>Pieces of the given sizes along <paramref name="dim"/>.</summary>
    public Tensor[] Split(ReadOnlySpan<long> sizes, long dim = 0)
    {
        var raw = new nint[sizes.Length];
        fixed (long* s = sizes)
        fixed (nint* o = raw)
        {
            Native.Check(Native.hs_split_with_sizes(Handle, s, sizes.Length, dim, o), "hs_split_with_sizes");
        }

        return WrapAll(raw);
    }

    /// <summary>Rows (or slices along <paramref name="dim"/>) picked by an int64 index.</summary>
    public Tensor IndexSelect(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Wrap(Native.hs_index_select(Handle, dim, index.Handle, out var r), r, "hs_index_select");
    }

    /// <summary>out[i][j] = this[i][index[i][j]] for dim 1 (and likewise for other dims).</summary>
    public Tensor Gather(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Wrap(Native.hs_gather(Handle, dim, index.Handle, out var r), r, "hs_gather");
    }

    /// <summary>One-hot encoding of int64 labels (int64 result).</summary>
    public Tensor OneHot(long numClasses) => Wrap(Native.hs_one_hot(Handle, numClasses, out var r), r, "hs_one_hot");

    /// <summary>Joins tensors along an existing dimension.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: false);

    /// <summary>Joins tensors along a new dimension.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, stack: true);

    private static Tensor Join(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var pinned = new HandleArray(tensors);
        fixed (nint* p = pinned.Raw)
        {
            var rc = stack
                ? Native.hs_stack(p, tensors.Count, dim, out var r)
                : Native.hs_cat(p, tensors.Count, dim, out r);
            return Wrap(rc, r, stack ? "hs_stack" : "hs_cat");
        }
    }

    private static Tensor[] WrapAll(ReadOnlySpan<nint> raw)
    {
        var result = new Tensor[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            result[i] = new Tensor(raw[i]);
        }

        return result;
    }
}
