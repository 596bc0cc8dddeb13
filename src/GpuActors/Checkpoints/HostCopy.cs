using System.Runtime.InteropServices;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Moves raw bytes between host arrays and tensors for every dtype. The binding's host copies
/// are typed, so each dtype gets its C# element type; bfloat16 has none and travels as
/// float32, which is exact both ways (a bfloat16 is the upper half of a float32).
/// </summary>
internal static class HostCopy
{
    public static void ToHost(Tensor tensor, DType dtype, byte[] data)
    {
        switch (dtype)
        {
            case DType.Float32: tensor.CopyTo(MemoryMarshal.Cast<byte, float>(data.AsSpan())); break;
            case DType.Float64: tensor.CopyTo(MemoryMarshal.Cast<byte, double>(data.AsSpan())); break;
            case DType.Int64: tensor.CopyTo(MemoryMarshal.Cast<byte, long>(data.AsSpan())); break;
            case DType.UInt8: tensor.CopyTo<byte>(data); break;
            case DType.Bool: tensor.CopyTo(MemoryMarshal.Cast<byte, bool>(data.AsSpan())); break;
            case DType.Int32: tensor.CopyTo(MemoryMarshal.Cast<byte, int>(data.AsSpan())); break;
            case DType.Float16: tensor.CopyTo(MemoryMarshal.Cast<byte, Half>(data.AsSpan())); break;
            case DType.BFloat16: BFloat16ToHost(tensor, data); break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported dtype");
        }
    }

    public static void FromHost(Tensor target, DType dtype, byte[] data)
    {
        switch (dtype)
        {
            case DType.Float32: target.CopyFrom<float>(MemoryMarshal.Cast<byte, float>(data.AsSpan())); break;
            case DType.Float64: target.CopyFrom<double>(MemoryMarshal.Cast<byte, double>(data.AsSpan())); break;
            case DType.Int64: target.CopyFrom<long>(MemoryMarshal.Cast<byte, long>(data.AsSpan())); break;
            case DType.UInt8: target.CopyFrom<byte>(data); break;
            case DType.Bool: target.CopyFrom<bool>(MemoryMarshal.Cast<byte, bool>(data.AsSpan())); break;
            case DType.Int32: target.CopyFrom<int>(MemoryMarshal.Cast<byte, int>(data.AsSpan())); break;
            case DType.Float16: target.CopyFrom<Half>(MemoryMarshal.Cast<byte, Half>(data.AsSpan())); break;
            case DType.BFloat16:
                using (var wide = BFloat16AsFloat32(data, target.Shape))
                {
                    target.CopyFrom(wide);
                }

                break;
            default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported dtype");
        }
    }

    public static Tensor ToTensor(DType dtype, long[] shape, byte[] data, Device device) => dtype switch
    {
        DType.Float32 => Tensor.FromArray<float>(MemoryMarshal.Cast<byte, float>(data.AsSpan()), shape, device),
        DType.Float64 => Tensor.FromArray<double>(MemoryMarshal.Cast<byte, double>(data.AsSpan()), shape, device),
        DType.Int64 => Tensor.FromArray<long>(MemoryMarshal.Cast<byte, long>(data.AsSpan()), shape, device),
        DType.UInt8 => Tensor.FromArray<byte>(data, shape, device),
        DType.Bool => Tensor.FromArray<bool>(MemoryMarshal.Cast<byte, bool>(data.AsSpan()), shape, device),
        DType.Int32 => Tensor.FromArray<int>(MemoryMarshal.Cast<byte, int>(data.AsSpan()), shape, device),
        DType.Float16 => Tensor.FromArray<Half>(MemoryMarshal.Cast<byte, Half>(data.AsSpan()), shape, device),
        DType.BFloat16 => BFloat16ToTensor(data, shape, device),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unsupported dtype"),
    };

    private static void BFloat16ToHost(Tensor tensor, byte[] data)
    {
        using var wide = tensor.To(DType.Float32);
        var values = new float[data.Length / 2];
        wide.CopyTo<float>(values);
        var halves = MemoryMarshal.Cast<byte, ushort>(data.AsSpan());
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16);
        }
    }

    private static Tensor BFloat16AsFloat32(byte[] data, long[] shape)
    {
        var halves = MemoryMarshal.Cast<byte, ushort>(data.AsSpan());
        var values = new float[halves.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.UInt32BitsToSingle((uint)halves[i] << 16);
        }

        return Tensor.FromArray<float>(values, shape);
    }

    private static Tensor BFloat16ToTensor(byte[] data, long[] shape, Device device)
    {
        using var wide = BFloat16AsFloat32(data, shape);
        return wide.To(device, DType.BFloat16);
    }
}
