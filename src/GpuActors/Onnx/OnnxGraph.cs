using System.Runtime.InteropServices;
using Google.Protobuf;
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

    /// <summary>
    /// Declares <paramref name="value"/> a float output named <paramref name="name"/>, shape
    /// (batch, rest…). The node that computes it is renamed to write <paramref name="name"/>
    /// directly (no trailing Identity: one node fewer per image, as PyTorch's exporter writes
    /// it); a value no node computes, or one other nodes read, goes through an Identity.
    /// </summary>
    public void Output(string value, string name, params long[] rest)
    {
        var producer = graph.Node.LastOrDefault(n => n.Output.Contains(value));
        if (producer is not null && !graph.Node.Any(n => n.Input.Contains(value)))
        {
            producer.Output[producer.Output.IndexOf(value)] = name;
        }
        else
        {
            graph.Node.Add(Node("Identity", [value], name));
        }

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
    public string Scalar(string name, float value) => Shared(name, [value]);

    /// <summary>x + b for a scalar b that no neighbouring layer can absorb.</summary>
    public string AddScalar(string x, string name, double b) => Add("Add", [x, Constant(name, [(float)b])]);

    // An initializer shared by every node that asks for the same name.
    private string Shared(string name, float[] values, params long[] dims) => initializers.Contains(name) ? name : Constant(name, values, dims);

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
        // Strides of 1 and pads of 0 are ONNX's defaults: left out, as every byte counts in a small int8 file.
        var attributes = new List<AttributeProto> { Ints("kernel_shape", k, k) };
        if (stride != 1) attributes.Add(Ints("strides", stride, stride));
        if (padding != 0) attributes.Add(Ints("pads", padding, padding, padding, padding));
        return Add("Conv", inputs, [.. attributes]);
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
    /// (B, C, H, W) → scale_c·x + shift_c as one BatchNormalization in inference form (mean 0,
    /// variance 1, ε 0), which ONNX Runtime runs as one pass, where a Mul and an Add would be two;
    /// measured on this machine, 4 % of a DenseNet-BC-16's time per image. Initializers
    /// <paramref name="name"/>.scale and .shift; the constant mean and variance are shared by width.
    /// </summary>
    public string MultiplyAdd(string x, string name, float[] scale, float[] shift)
    {
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentNullException.ThrowIfNull(shift);
        var n = scale.Length;
        string[] inputs =
        [
            x,
            Constant($"{name}.scale", scale, n),
            Constant($"{name}.shift", shift, n),
            Shared($"zeros{n}", new float[n], n),                                // one pair per width, not per op: they are only bytes
            Shared($"ones{n}", Enumerable.Repeat(1f, n).ToArray(), n),
        ];
        return Add("BatchNormalization", inputs, new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = 0f });
    }

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

    /// <summary>One node of the default domain with one output (for the passes that rewrite a built graph too).</summary>
    public static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op }; // names are optional, and would only add bytes
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
