using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// Static int8 quantization in ONNX's QDQ form (opset 13's QuantizeLinear / DequantizeLinear),
/// applied to a float graph this writer built: every Conv and Gemm weight is stored as int8
/// with one symmetric scale per output channel (s_o = max|W_o| / 127, rounded up to a float16), and every Conv and Gemm
/// input passes through a uint8 quantize-dequantize pair whose scale and zero point come from
/// the activation's range on calibration images, run through the float graph by ONNX Runtime.
/// Biases and MPELU stay float, stored with the weight scales as float16 with every name shortened
/// (<see cref="CompactStorage"/>). The kernels shrink 4×, the file less where the per-channel
/// constants and the graph weigh much beside them (a DenseNet-BC-16); a runtime with int8
/// kernels can fuse the pairs, any other runs them as written.
/// </summary>
internal static class Int8Quantization
{
    /// <summary>Quantizes <paramref name="model"/> in place, calibrated on <paramref name="images"/> (N, C, H, W) normalised as its input expects.</summary>
    public static void Apply(ModelProto model, float[] images, int count, int threads)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var targets = graph.Node.Where(n => n.OpType is "Conv" or "Gemm").ToList();
        var ranges = Calibrate(model, [.. targets.Select(n => n.Input[0]).Distinct()], images, count, threads);
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var quantized = new Dictionary<string, string>(StringComparer.Ordinal); // activation → its dequantized twin
        var nodes = new List<NodeProto>();
        foreach (var node in graph.Node)
        {
            if (node.OpType is "Conv" or "Gemm")
            {
                var x = node.Input[0];
                if (!quantized.TryGetValue(x, out var dq))
                {
                    dq = QuantizeActivation(graph, nodes, x, ranges[x]);
                    quantized[x] = dq;
                }

                node.Input[0] = dq;
                node.Input[1] = QuantizeWeight(graph, nodes, initializers[node.Input[1]]);
            }

            nodes.Add(node);
        }

        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        CompactStorage.Apply(graph);
    }

    // Runs the float graph with every target input as an extra output; min and max per input.
    private static Dictionary<string, (float Min, float Max)> Calibrate(ModelProto model, string[] values, float[] images, int count, int threads)
    {
        var probe = model.Clone();
        foreach (var v in values.Where(v => probe.Graph.Output.All(o => o.Name != v)))
        {
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = v,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }

        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        var ranges = values.ToDictionary(v => v, _ => (Min: 0f, Max: 0f), StringComparer.Ordinal); // 0 always representable
        var size = images.Length / count;
        var shape = session.InputMetadata[OnnxExport.InputName].Dimensions;
        const int Batch = 64;
        for (var start = 0; start < count; start += Batch)
        {
            var n = Math.Min(Batch, count - start);
            var slice = images.AsSpan(start * size, n * size).ToArray();                       // (n, C, H, W)
            using var input = OrtValue.CreateTensorValueFromMemory(slice, [n, shape[1], shape[2], shape[3]]);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [OnnxExport.InputName], [input], values);
            for (var i = 0; i < values.Length; i++)
            {
                var (min, max) = ranges[values[i]];
                foreach (var v in outputs[i].GetTensorDataAsSpan<float>())
                {
                    if (v < min) min = v;
                    if (v > max) max = v;
                }

                ranges[values[i]] = (min, max);
            }
        }

        return ranges;
    }

    // x → QuantizeLinear(uint8, asymmetric over [min, max]) → DequantizeLinear; returns the float output.
    private static string QuantizeActivation(GraphProto graph, List<NodeProto> nodes, string x, (float Min, float Max) range)
    {
        var scale = Math.Max(range.Max - range.Min, 1e-8f) / 255f;
        var zeroPoint = (byte)Math.Clamp(Math.Round(-range.Min / scale), 0, 255);
        // Short names: a small model has dozens of these pairs, and every name is stored twice or more.
        var scaleName = Initializer(graph, $"{x}s", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes<float>([scale]), []);
        var zeroName = Initializer(graph, $"{x}z", TensorProto.Types.DataType.Uint8, [zeroPoint], []);
        var q = $"{x}q";
        var dq = $"{x}d";
        nodes.Add(OnnxGraph.Node("QuantizeLinear", [x, scaleName, zeroName], q));
        nodes.Add(OnnxGraph.Node("DequantizeLinear", [q, scaleName, zeroName], dq));
        return dq;
    }

    // W (O, …) float → int8 with a symmetric scale per output channel, dequantized along axis 0.
    private static string QuantizeWeight(GraphProto graph, List<NodeProto> nodes, TensorProto weight)
    {
        var w = MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray();
        var outputs = (int)weight.Dims[0];
        var fanIn = w.Length / outputs;
        var scales = new float[outputs];
        var q = new sbyte[w.Length];
        for (var o = 0; o < outputs; o++)
        {
            var row = w.AsSpan(o * fanIn, fanIn);
            var maxAbs = 0f;
            foreach (var v in row) maxAbs = Math.Max(maxAbs, Math.Abs(v));
            scales[o] = maxAbs > 0 ? Scale(maxAbs / 127f) : 1f;                // an all-zero (pruned) unit stays exactly 0
            for (var i = 0; i < fanIn; i++) q[o * fanIn + i] = (sbyte)Math.Clamp(Math.Round(row[i] / scales[o]), -127, 127);
        }

        graph.Initializer.Remove(weight);
        var name = weight.Name;
        var quantized = Initializer(graph, $"{name}.int8", TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes<sbyte>(q), [.. weight.Dims]);
        var scaleName = Initializer(graph, $"{name}.scale", TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes<float>(scales), [outputs]);
        nodes.Add(OnnxGraph.Node("DequantizeLinear", [quantized, scaleName], name, OnnxGraph.Int("axis", 0))); // no zero point: 0, symmetric
        return name;
    }

    // The scale as stored: rounded up to the next float16 where float16's normal range holds it,
    // so the file can keep it in half the bytes (CompactStorage) and the int8 weights are
    // rounded against the scale the runtime will read; rounding up keeps max|W| within ±127.
    internal static float Scale(float exact)
    {
        if (exact is < 6.2e-5f or > 60_000f) return exact;                 // outside float16's normal numbers: float32
        var half = (Half)exact;
        if ((float)half < exact) half = Half.BitIncrement(half);
        return (float)half;
    }

    private static string Initializer(GraphProto graph, string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        graph.Initializer.Add(tensor);
        return name;
    }
}
