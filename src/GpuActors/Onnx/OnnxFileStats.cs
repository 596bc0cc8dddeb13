using System.Runtime.InteropServices;
using Onnx;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>What an exported file holds, for export's summary and the compression benchmark.</summary>
public static class OnnxFileStats
{
    /// <summary>
    /// Non-zero values over every float, float16 and int8 initializer of the .onnx <paramref name="bytes"/>:
    /// the parameters a pruned model really has (zeros a sparse runtime would skip are not counted;
    /// int8 scales and zero points are). A BatchNormalization's mean and variance inputs are not
    /// counted: the writer uses the op as a per-channel multiply-add, so they hold the constants 0
    /// and 1, and its scale and shift are the parameters.
    /// </summary>
    public static long NonZeroParameters(byte[] bytes)
    {
        var model = ModelProto.Parser.ParseFrom(bytes);
        var statistics = model.Graph.Node.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Input.Skip(3)).ToHashSet(StringComparer.Ordinal);
        long count = 0;
        foreach (var t in model.Graph.Initializer.Where(t => !statistics.Contains(t.Name)))
        {
            var raw = t.RawData.Span;
            switch ((TensorProto.Types.DataType)t.DataType)
            {
                case TensorProto.Types.DataType.Float:
                    foreach (var v in MemoryMarshal.Cast<byte, float>(raw)) if (v != 0) count++;
                    break;
                case TensorProto.Types.DataType.Float16:
                    foreach (var v in MemoryMarshal.Cast<byte, Half>(raw)) if (v != Half.Zero) count++;
                    break;
                case TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8:
                    foreach (var v in raw) if (v != 0) count++;
                    break;
            }
        }

        return count;
    }
}
