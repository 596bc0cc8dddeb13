using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Onnx;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// Shrinks a quantized graph's bytes, for the device an int8 file is written for. Once the
/// kernels are int8, what is left of a small DenseNet-BC's file is mostly not weights: measured
/// on a trained DenseNet-BC-16 (44 k parameters), 42.7 KB of int8 kernels came with 4.9 KB of
/// per-channel MPELU α and β, 1.4 KB of biases and about 9 KB of names, each initializer's
/// written twice (where it is defined and where a node reads it). So:
/// <list type="number">
/// <item>float initializers of more than one value that no quantize or dequantize node reads
/// (α, β, conv and classifier biases) are stored as float16 and cast back to float32 by a
/// <c>Cast</c> at the head of the graph, which ONNX Runtime folds at load: no cost per image, a
/// relative rounding of 2⁻¹¹, far below the activations' int8 steps. Scales, zero points and
/// scalars stay as they are (the QDQ ops want float32 scales).</item>
/// <item>every initializer and intermediate value is renamed to a short identifier; the graph's
/// input and output keep theirs, so a runtime finds them.</item>
/// </list>
/// </summary>
internal static class CompactStorage
{
    public static void Apply(GraphProto graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        StoreHalf(graph);
        Rename(graph);
    }

    private static void StoreHalf(GraphProto graph)
    {
        var quantization = graph.Node.Where(n => n.OpType is "QuantizeLinear" or "DequantizeLinear").SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var casts = new List<NodeProto>();
        foreach (var t in graph.Initializer)
        {
            if (t.DataType != (int)TensorProto.Types.DataType.Float || quantization.Contains(t.Name)) continue;
            var values = MemoryMarshal.Cast<byte, float>(t.RawData.Span);
            if (values.Length < 2) continue;
            var half = new Half[values.Length];
            for (var i = 0; i < values.Length; i++) half[i] = (Half)values[i];
            var name = t.Name;
            t.Name = $"{name}.f16";
            t.DataType = (int)TensorProto.Types.DataType.Float16;
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(half.AsSpan()));   // little-endian, as raw_data is
            casts.Add(OnnxGraph.Node("Cast", [t.Name], name, OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float)));
        }

        for (var i = casts.Count - 1; i >= 0; i--) graph.Node.Insert(0, casts[i]);
    }

    // Initializers first, then node outputs in graph order: names of one or two characters for a small model.
    private static void Rename(GraphProto graph)
    {
        var kept = graph.Input.Select(v => v.Name).Concat(graph.Output.Select(v => v.Name)).ToHashSet(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer) t.Name = names[t.Name] = Identifier(names.Count);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (names.TryGetValue(node.Input[i], out var input)) node.Input[i] = input;
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                if (kept.Contains(node.Output[i])) continue;
                node.Output[i] = names[node.Output[i]] = Identifier(names.Count);
            }
        }
    }

    // A C identifier (ONNX's rule for names) from a number: a letter, then letters and digits.
    private const string First = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Rest = First + "0123456789";

    internal static string Identifier(int index)
    {
        var text = new StringBuilder();
        text.Append(First[index % First.Length]);
        for (var rest = index / First.Length; rest > 0; rest = (rest - 1) / Rest.Length) text.Append(Rest[(rest - 1) % Rest.Length]);
        return text.ToString();
    }
}
