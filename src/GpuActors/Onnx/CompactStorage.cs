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
/// <item>float initializers of more than one value (α, β, conv and classifier biases, weight
/// scales) are stored as float16 and cast back to float32 at the head of the graph, which ONNX
/// Runtime folds at load: no cost per image. Constants read by no quantize or dequantize node are
/// rounded to 2⁻¹¹, far below the activations' int8 steps; weight scales only where float16
/// holds them exactly (<see cref="Int8Quantization.Scale"/> picks such scales). Scalars stay
/// float32.</item>
/// <item>tensors of one shape pattern ((C), or (1, C, 1, 1)) are concatenated into one
/// initializer that a single <c>Split</c> takes apart at load: one header, name and Cast instead
/// of dozens (2 KB of a DenseNet-BC-16's 58.6 KB file).</item>
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
        var packs = new Dictionary<(bool Half, int Rank, int Axis), List<(TensorProto Tensor, float[] Values)>>();
        var alone = new List<(TensorProto Tensor, float[] Values, bool Half)>();   // not packable, or the only one of its shape
        foreach (var t in graph.Initializer.ToList())
        {
            if (t.DataType != (int)TensorProto.Types.DataType.Float) continue;
            var values = MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
            if (values.Length < 2) continue;
            // A QDQ scale goes float16 only where float16 holds it exactly (the int8 pass picks
            // such scales: Int8Quantization.Scale); everything else, read by no QDQ op (α, β,
            // biases), always, rounded to 2⁻¹¹.
            var half = !quantization.Contains(t.Name) || values.All(v => (float)(Half)v == v);
            var axes = Enumerable.Range(0, t.Dims.Count).Where(d => t.Dims[d] > 1).ToList();
            if (axes.Count != 1)
            {
                alone.Add((t, values, half));
                continue;
            }

            var key = (half, t.Dims.Count, axes[0]);
            if (!packs.TryGetValue(key, out var members)) packs[key] = members = [];
            members.Add((t, values));
        }

        var heads = new List<NodeProto>();
        foreach (var ((half, _, axis), members) in packs)
        {
            if (members.Count == 1) alone.Add((members[0].Tensor, members[0].Values, half));
            else heads.AddRange(Pack(graph, members, half, axis));
        }

        heads.AddRange(alone.Where(a => a.Half).Select(a => ToHalf(a.Tensor, a.Values)));
        for (var i = heads.Count - 1; i >= 0; i--) graph.Node.Insert(0, heads[i]);
    }

    // t becomes float16 under a new name; the Cast that gives back its float32 value under the old one.
    private static NodeProto ToHalf(TensorProto t, float[] values)
    {
        var name = t.Name;
        t.Name = $"{name}.f16";
        t.DataType = (int)TensorProto.Types.DataType.Float16;
        t.RawData = Half(values);
        return OnnxGraph.Node("Cast", [t.Name], name, OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float));
    }

    // Tensors of one shape pattern (one axis longer than 1) become one initializer, concatenated
    // along that axis, and one Split gives each back under its name: a tensor written once
    // instead of dozens, each with its header, name and Cast.
    private static List<NodeProto> Pack(GraphProto graph, List<(TensorProto Tensor, float[] Values)> members, bool half, int axis)
    {
        var all = members.SelectMany(m => m.Values).ToArray();
        var packed = new TensorProto
        {
            Name = $"pack{(half ? "16" : "32")}.{members[0].Tensor.Dims.Count}.{axis}",
            DataType = (int)(half ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float),
            RawData = half ? Half(all) : ByteString.CopyFrom(MemoryMarshal.AsBytes(all.AsSpan())),
        };
        packed.Dims.AddRange(members[0].Tensor.Dims);
        packed.Dims[axis] = all.Length;
        var sizes = new TensorProto { Name = $"{packed.Name}.sizes", DataType = (int)TensorProto.Types.DataType.Int64 };
        sizes.Dims.Add(members.Count);
        sizes.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes<long>([.. members.Select(m => (long)m.Values.Length)]));
        foreach (var (tensor, _) in members) graph.Initializer.Remove(tensor);
        graph.Initializer.Add(packed);
        graph.Initializer.Add(sizes);

        var heads = new List<NodeProto>();
        var source = packed.Name;
        if (half)
        {
            source = $"{packed.Name}.f32";
            heads.Add(OnnxGraph.Node("Cast", [packed.Name], source, OnnxGraph.Int("to", (long)TensorProto.Types.DataType.Float)));
        }

        var split = OnnxGraph.Node("Split", [source, sizes.Name], members[0].Tensor.Name, OnnxGraph.Int("axis", axis));
        split.Output.AddRange(members.Skip(1).Select(m => m.Tensor.Name));
        heads.Add(split);
        return heads;
    }

    private static ByteString Half(float[] values)
    {
        var half = new Half[values.Length];
        for (var i = 0; i < values.Length; i++) half[i] = (Half)values[i];
        return ByteString.CopyFrom(MemoryMarshal.AsBytes(half.AsSpan()));   // little-endian, as raw_data is
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
