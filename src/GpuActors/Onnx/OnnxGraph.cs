using System.Runtime.InteropServices;
using Google.Protobuf;
using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;
using Onnx;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// Builds one ONNX graph (onnx.proto's GraphProto): float32 initializers under the parameter
/// names they come from, and nodes of the default domain whose outputs are numbered values.
/// Each op method adds one node and returns the name of its output, so a model's writer reads
/// like its forward pass.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly GraphProto graph;
    private readonly HashSet<string> initializers = [];
    private int values;

    public OnnxGraph(string name) => graph = new GraphProto { Name = name };

    /// <summary>The graph built so far.</summary>
    public GraphProto Proto => graph;

    /// <summary>Declares a float input of shape (batch, rest…), the batch size left free.</summary>
    public string Input(string name, params long[] rest)
    {
        graph.Input.Add(Value(name, rest));
        return name;
    }

    /// <summary>Declares <paramref name="value"/> a float output named <paramref name="name"/>, shape (batch, rest…).</summary>
    public void Output(string value, string name, params long[] rest)
    {
        graph.Node.Add(Node("Identity", [value], name));
        graph.Output.Add(Value(name, rest));
    }

    /// <summary>A float32 initializer; the name must be new.</summary>
    public string Constant(string name, float[] data, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!initializers.Add(name)) throw new ArgumentException($"initializer '{name}' is defined twice.", nameof(name));
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        // raw_data is little-endian (onnx.proto), as .NET is on every platform we build for.
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A scalar initializer shared by every node that asks for the same name.</summary>
    public string Scalar(string name, float value) => initializers.Contains(name) ? name : Constant(name, [value]);

    /// <summary>Adds a node; returns its (one) output.</summary>
    public string Add(string op, string[] inputs, params AttributeProto[] attributes)
    {
        var output = $"v{values++}";
        graph.Node.Add(Node(op, inputs, output, attributes));
        return output;
    }

    /// <summary>(B, I, H, W) → (B, O, H', W'): the folded kernel and bias become initializers <paramref name="name"/>.weight/.bias.</summary>
    public string Conv(string x, string name, FoldedWeights w, int stride, int padding)
    {
        ArgumentNullException.ThrowIfNull(w);
        var k = w.Shape[2];
        string[] inputs = w.HasBias
            ? [x, Constant($"{name}.weight", w.Weight(), w.Shape), Constant($"{name}.bias", w.Bias(), w.Shape[0])]
            : [x, Constant($"{name}.weight", w.Weight(), w.Shape)];
        return Add("Conv", inputs, Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding));
    }

    /// <summary>(B, I) → (B, O): x·Wᵀ + b.</summary>
    public string Gemm(string x, string name, FoldedWeights w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var weight = Constant($"{name}.weight", w.Weight(), w.Shape);
        var bias = Constant($"{name}.bias", w.Bias(), w.Shape[0]);
        return Add("Gemm", [x, weight, bias], Int("transB", 1));
    }

    /// <summary>
    /// Evaluation-mode batch norm on (B, C, H, W) as one per-channel multiply-add, where no conv
    /// comes before it to fold it into (the dense layers' norm on the concatenation).
    /// </summary>
    public string BatchNorm(string x, string name, BatchNorm2d norm, int[]? channels = null)
    {
        var (scale, shift) = FoldedWeights.Affine(norm);
        var s = PruningPlan.Select(Array.ConvertAll(scale, v => (float)v), channels);        // the channels a pruned network still has
        var b = PruningPlan.Select(Array.ConvertAll(shift, v => (float)v), channels);
        var scaled = Add("Mul", [x, Constant($"{name}.scale", s, 1, s.Length, 1, 1)]);
        return Add("Add", [scaled, Constant($"{name}.shift", b, 1, b.Length, 1, 1)]);
    }

    /// <summary>x + b for a scalar b that no neighbouring layer can absorb.</summary>
    public string AddScalar(string x, string name, double b) => Add("Add", [x, Constant(name, [(float)b])]);

    /// <summary>k×k max pool with stride k (floor).</summary>
    public string MaxPool(string x, int k) => Add("MaxPool", [x], Ints("kernel_shape", k, k), Ints("strides", k, k));

    /// <summary>k×k average pool with stride k (floor).</summary>
    public string AveragePool(string x, int k) => Add("AveragePool", [x], Ints("kernel_shape", k, k), Ints("strides", k, k));

    /// <summary>(B, …) → (B, ∏…).</summary>
    public string Flatten(string x) => Add("Flatten", [x], Int("axis", 1));

    /// <summary>Concatenation along channels (axis 1).</summary>
    public string Concat(params string[] inputs) => Add("Concat", inputs, Int("axis", 1));

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static ValueInfoProto Value(string name, long[] rest)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var d in rest) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } };
        return new ValueInfoProto { Name = name, Type = type };
    }
}
