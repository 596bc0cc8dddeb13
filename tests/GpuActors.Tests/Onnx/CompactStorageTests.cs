using Google.Protobuf;
using HyperSwarm.GpuActors.Onnx;
using Onnx;

namespace HyperSwarm.GpuActors.Tests.Onnx;

// The int8 file's storage pass: shorter names and float16 constants, same computation.
public sealed class CompactStorageTests
{
    [Fact]
    public void Identifiers_are_distinct_C_identifiers_and_short()
    {
        var names = Enumerable.Range(0, 200_000).Select(CompactStorage.Identifier).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches("^[A-Za-z][A-Za-z0-9]*$", n));
        Assert.Equal(1, names[51].Length);
        Assert.Equal(2, names[52].Length);
        Assert.True(names[^1].Length <= 4);
    }

    [Fact]
    public void A_graph_stored_compactly_computes_what_it_did_with_its_input_and_output_named_as_before()
    {
        // (B, 3) x → QDQ((x + b) · s): b per channel (becomes float16), s a scalar and the QDQ
        // scale stay float32.
        var g = new OnnxGraph("compact");
        var x = g.Input("images", 3);
        var shifted = g.Add("Add", [x, g.Constant("layer.bias", [0.1f, -0.25f, 1.5f], 3)]);
        var scaled = g.Add("Mul", [shifted, g.Scalar("layer.scale", 2f)]);
        var quantized = g.Add("QuantizeLinear", [scaled, g.Scalar("q.scale", 0.05f)]);
        var restored = g.Add("DequantizeLinear", [quantized, "q.scale"]);
        g.Output(restored, "logits", 3);
        var model = new ModelProto { IrVersion = OnnxExport.IrVersion, Graph = g.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExport.Opset });
        var before = Run(model.ToByteArray());

        var compact = model.Clone();
        CompactStorage.Apply(compact.Graph);
        var after = Run(compact.ToByteArray());

        Assert.Equal(before, after);                               // 0.1, −0.25, 1.5 lose nothing in the int8 output here
        Assert.True(compact.CalculateSize() < model.CalculateSize());
        Assert.Equal(["images"], compact.Graph.Input.Select(v => v.Name));
        Assert.Equal(["logits"], compact.Graph.Output.Select(v => v.Name));
        var bias = Assert.Single(compact.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
        Assert.Equal(3 * 2, bias.RawData.Length);
        Assert.Equal("Cast", compact.Graph.Node[0].OpType);
        Assert.Equal(2, compact.Graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Float));
    }

    [Fact]
    public void Per_channel_constants_of_one_shape_are_stored_as_one_float16_tensor_split_at_load()
    {
        // (B, 3) x → ((x + b₁) · s₁ + b₂) · s₂ with b₁, s₁, b₂, s₂ of 3 values each, and a
        // per-channel QDQ scale that float16 holds exactly (Int8Quantization.Scale): one packed
        // float16 initializer of 15 values, one Cast, one Split, the same outputs.
        var g = new OnnxGraph("packed");
        var x = g.Input("images", 3);
        var y = g.Add("Add", [x, g.Constant("b1", [0.125f, -0.25f, 1.5f], 3)]);
        y = g.Add("Mul", [y, g.Constant("s1", [2f, 0.5f, -1f], 3)]);
        y = g.Add("Add", [y, g.Constant("b2", [0.75f, 0f, -0.125f], 3)]);
        y = g.Add("Mul", [y, g.Constant("s2", [1f, 3f, 0.25f], 3)]);
        var scale = g.Constant("q.scale", [Int8Quantization.Scale(0.05f), Int8Quantization.Scale(0.02f), Int8Quantization.Scale(0.1f)], 3);
        var zero = g.Constant("q.zero", [0f, 0f, 0f], 3);
        var quantized = g.Add("QuantizeLinear", [y, scale], OnnxGraph.Int("axis", 1));
        var restored = g.Add("DequantizeLinear", [quantized, scale], OnnxGraph.Int("axis", 1));
        g.Output(g.Add("Add", [restored, zero]), "logits", 3);
        var model = new ModelProto { IrVersion = OnnxExport.IrVersion, Graph = g.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExport.Opset });
        var before = Run(model.ToByteArray());

        var compact = model.Clone();
        CompactStorage.Apply(compact.Graph);

        Assert.Equal(before, Run(compact.ToByteArray()));
        var packed = Assert.Single(compact.Graph.Initializer, t => t.DataType == (int)TensorProto.Types.DataType.Float16);
        Assert.Equal(6 * 3 * 2, packed.RawData.Length);
        Assert.Equal(["Cast", "Split"], compact.Graph.Node.Take(2).Select(n => n.OpType));
        Assert.Equal(6, compact.Graph.Node[1].Output.Count);
        Assert.True(compact.CalculateSize() < model.CalculateSize());
    }

    [Fact]
    public void A_weight_scale_is_rounded_up_to_a_float16_where_float16_holds_it()
    {
        foreach (var exact in new[] { 0.0123456f, 1e-3f, 0.3f, 7.1e-5f })
        {
            var scale = Int8Quantization.Scale(exact);
            Assert.Equal(scale, (float)(Half)scale);                               // stored exactly in float16
            Assert.InRange(scale, exact, exact * (1 + 1f / 1024));                  // never below: |W| / scale ≤ 127
        }

        Assert.Equal(1e-5f, Int8Quantization.Scale(1e-5f));                         // a float16 subnormal: kept float32
    }

    private static float[] Run(byte[] model)
    {
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(model);
        float[] input = [0.3f, 0.7f, -1.2f, 2f, 0f, -0.4f];                                 // (2, 3)
        using var value = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(input, [2, 3]);
        using var options = new Microsoft.ML.OnnxRuntime.RunOptions();
        using var outputs = session.Run(options, ["images"], [value], ["logits"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
