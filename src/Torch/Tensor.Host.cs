using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed unsafe partial class Tensor
{
    /// <summary>
    /// Copies <paramref name="data"/> into a new tensor of the given shape on
    /// <paramref name="device"/>; the dtype follows <typeparamref name="T"/>.
    /// </summary>
    public static Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device device = default)
        where T : unmanaged
    {
        var dtype = DTypes.Of<T>();
        fixed (T* p = data)
        fixed (long* s = shape)
        {
            var rc = Native.hs_tensor_from_host(p, (long)data.Length * sizeof(T), s, shape.Length, (int)dtype,
                (int)device.Type, device.Index, out var r);
            return Wrap(rc, r, "hs_tensor_from_host");
        }
    }

    /// <summary>A one-dimensional tensor holding <paramref name="data"/>.</summary>
    public static Tensor FromArray<T>(T[] data, Device device = default)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromArray<T>(data, [data.Length], device);
    }

    /// <summary>A zero-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar<T>(T value, Device device = default)
        where T : unmanaged => FromArray<T>([value], [], device);

    /// <summary>Copies every element to the host in row-major order (any device, any strides).</summary>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var result = new T[Numel];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>Copies every element into <paramref name="destination"/>, whose length must equal <see cref="Numel"/>.</summary>
    public void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        CheckHostType<T>();
        fixed (T* p = destination)
        {
            Native.Check(Native.hs_tensor_copy_to_host(Handle, p, (long)destination.Length * sizeof(T)), "hs_tensor_copy_to_host");
        }
    }

    /// <summary>
    /// Overwrites this tensor's contents from host memory without allocating a new tensor:
    /// data loaders reuse their batch tensors this way.
    /// </summary>
    public void CopyFrom<T>(ReadOnlySpan<T> source)
        where T : unmanaged
    {
        CheckHostType<T>();
        fixed (T* p = source)
        {
            Native.Check(Native.hs_tensor_copy_from_host(Handle, p, (long)source.Length * sizeof(T)), "hs_tensor_copy_from_host");
        }
    }

    private void CheckHostType<T>()
        where T : unmanaged
    {
        var want = DTypes.Of<T>();
        var have = DType;
        if (want != have)
        {
            throw new TorchException("host copy", $"the tensor holds {have} but the host buffer is {typeof(T).Name} ({want})");
        }
    }
}
