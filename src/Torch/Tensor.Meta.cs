using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>Number of dimensions.</summary>
    public long Dim
    {
        get
        {
            Native.Check(Native.hs_tensor_dim(Handle, out var dim), "hs_tensor_dim");
            return dim;
        }
    }

    /// <summary>Sizes of every dimension (a fresh array).</summary>
    public long[] Shape
    {
        get
        {
            long* buf = stackalloc long[8];
            Native.Check(Native.hs_tensor_shape(Handle, buf, 8, out var ndim), "hs_tensor_shape");
            var shape = new long[ndim];
            if (ndim <= 8)
            {
                new ReadOnlySpan<long>(buf, (int)ndim).CopyTo(shape);
                return shape;
            }

            fixed (long* p = shape)
            {
                Native.Check(Native.hs_tensor_shape(Handle, p, ndim, out _), "hs_tensor_shape");
            }

            return shape;
        }
    }

    /// <summary>Total number of elements.</summary>
    public long Numel
    {
        get
        {
            Native.Check(Native.hs_tensor_numel(Handle, out var n), "hs_tensor_numel");
            return n;
        }
    }

    /// <summary>Element type.</summary>
    public DType DType
    {
        get
        {
            Native.Check(Native.hs_tensor_dtype(Handle, out var d), "hs_tensor_dtype");
            return (DType)d;
        }
    }

    /// <summary>The device holding the data.</summary>
    public Device Device
    {
        get
        {
            Native.Check(Native.hs_tensor_device(Handle, out var type, out var index), "hs_tensor_device");
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>Whether autograd records operations on this tensor.</summary>
    public bool RequiresGrad
    {
        get
        {
            Native.Check(Native.hs_tensor_requires_grad(Handle, out var v), "hs_tensor_requires_grad");
            return v != 0;
        }

        set => Native.Check(Native.hs_tensor_set_requires_grad(Handle, value ? 1 : 0), "hs_tensor_set_requires_grad");
    }

    /// <summary>True for tensors created by the user rather than by a recorded operation.</summary>
    public bool IsLeaf
    {
        get
        {
            Native.Check(Native.hs_tensor_is_leaf(Handle, out var v), "hs_tensor_is_leaf");
            return v != 0;
        }
    }

    /// <summary>The single value of a one-element tensor, as a double.</summary>
    public double ToDouble()
    {
        Native.Check(Native.hs_tensor_item_double(Handle, out var v), "hs_tensor_item_double");
        return v;
    }

    /// <summary>The single value of a one-element tensor, as a long.</summary>
    public long ToInt64()
    {
        Native.Check(Native.hs_tensor_item_int64(Handle, out var v), "hs_tensor_item_int64");
        return v;
    }

    /// <summary>libtorch's rendering of the tensor; large tensors print only their summary.</summary>
    public override string ToString()
    {
        if (IsDisposed)
        {
            return "Tensor(disposed)";
        }

        var header = $"Tensor[{string.Join(", ", Shape)}] {DType} {Device}";
        if (Numel > 64)
        {
            return header;
        }

        long len;
        Native.Check(Native.hs_tensor_to_string(Handle, null, 0, &len), "hs_tensor_to_string");
        var buf = new byte[len + 1];
        fixed (byte* p = buf)
        {
            Native.Check(Native.hs_tensor_to_string(Handle, p, buf.Length, &len), "hs_tensor_to_string");
        }

        return header + Environment.NewLine + System.Text.Encoding.UTF8.GetString(buf, 0, (int)len);
    }
}
