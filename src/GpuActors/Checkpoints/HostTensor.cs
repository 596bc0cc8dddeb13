using System.Runtime.InteropServices;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// A tensor's values in host memory as raw little-endian bytes, with dtype and shape. It is
/// what checkpoints hold between the actor thread (which owns libtorch tensors) and file I/O
/// (which may run on any thread): snapshot with <see cref="FromTensor"/> on the actor thread,
/// write from anywhere; read from anywhere, load with <see cref="CopyInto"/> on the actor thread.
/// </summary>
public sealed class HostTensor
{
    private readonly long[] shape;

    /// <summary>Wraps <paramref name="data"/> (not copied), whose length must be numel × element size.</summary>
    public HostTensor(DType dtype, ReadOnlySpan<long> shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bytes = TensorBytes.Of(dtype, shape)
            ?? throw new ArgumentException($"shape [{string.Join(", ", shape.ToArray())}] is negative or too large", nameof(shape));
        if (bytes != data.LongLength)
        {
            throw new ArgumentException($"a {dtype} tensor of shape [{string.Join(", ", shape.ToArray())}] needs {bytes} bytes, got {data.LongLength}", nameof(data));
        }

        DType = dtype;
        this.shape = shape.ToArray();
        Data = data;
    }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Sizes of every dimension.</summary>
    public IReadOnlyList<long> Shape => shape;

    /// <summary>The raw little-endian values in row-major order.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements.</summary>
    public long Numel => Data.LongLength / DType.ElementSize();

    /// <summary>A host tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    public static HostTensor FromArray<T>(ReadOnlySpan<T> values, params ReadOnlySpan<long> shape)
        where T : unmanaged => new(DTypes.Of<T>(), shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>The values viewed as <typeparamref name="T"/>, which must match <see cref="DType"/>.</summary>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        CheckHostType<T>();
        return MemoryMarshal.Cast<byte, T>(Data);
    }

    /// <summary>
    /// Copies <paramref name="tensor"/>'s values to the host (any device). Run it on the thread
    /// that owns the tensor.
    /// </summary>
    public static HostTensor FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dtype = tensor.DType;
        var shape = tensor.Shape;
        var data = new byte[TensorBytes.Of(dtype, shape) ?? 0];
        HostCopy.ToHost(tensor, dtype, data);
        return new HostTensor(dtype, shape, data);
    }

    /// <summary>A new tensor on <paramref name="device"/> holding these values; the caller owns it.</summary>
    public Tensor ToTensor(Device device = default) => HostCopy.ToTensor(DType, shape, Data, device);

    /// <summary>
    /// Overwrites <paramref name="target"/> (same dtype and shape, any device) with these values,
    /// without recording autograd history; parameters keep their identity and requires-grad flag.
    /// </summary>
    public void CopyInto(Tensor target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.DType != DType || !target.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new ArgumentException(
                $"cannot copy a {DType} [{string.Join(", ", shape)}] host tensor into a {target.DType} [{string.Join(", ", target.Shape)}] tensor",
                nameof(target));
        }

        using (NoGrad.Enter())
        {
            HostCopy.FromHost(target, DType, Data);
        }
    }

    private void CheckHostType<T>()
        where T : unmanaged
    {
        if (DTypes.Of<T>() != DType)
        {
            throw new InvalidOperationException($"the host tensor holds {DType}, not {typeof(T).Name}");
        }
    }
}
