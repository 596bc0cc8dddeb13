using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Support;
using Xunit.Abstractions;

namespace HyperSwarm.GpuActors.Tests.Onnx;

// --int8 writes QDQ: a file about 4× smaller that ONNX Runtime and the checker accept, whose
// predictions stay those of the float file on real images.
public sealed class Int8QuantizationTests(ITestOutputHelper output) : IDisposable
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";
    private static readonly Lazy<TrainTestSets> Data = new(() => DatasetCatalog.Load(FashionMnist));
    private readonly TempDirectory directory = new();

    // The test DenseNets (growth 6) hold so few weights that the card, the graph and the QDQ
    // scales weigh about as much as they do: their files shrink less than a real model's
    // (2.61× measured with packed float16 constants, 2.41× before; 3.84–3.94× for the small CNNs).
    [Theory]
    [InlineData("small-cnn-stn", false, 3.6)]
    [InlineData("small-cnn", true, 3.6)]
    [InlineData("densenet-stn-agd", false, 2.45)]
    public async Task The_int8_file_is_smaller_and_predicts_like_the_float_one(string name, bool structured, double minRatio)
    {
        var (images, _) = ExportableModels.TestImages(200, Data.Value.Test);
        var fp32 = directory.File("fp32.onnx");
        var int8 = directory.File("int8.onnx");
        using (var model = ExportableModels.Save(name, directory.File(name)))
        {
            var plan = structured ? PruningPlan.For(model.Model, OnnxExport.Lambda(model), 0.5, structured: true) : null;
            var calibration = Int8Calibration.From(Data.Value.Train, model.Normalization, count: 256, seed: 1);
            await File.WriteAllBytesAsync(fp32, OnnxExport.ToBytes(model, "fp32.onnx", plan));
            await File.WriteAllBytesAsync(int8, OnnxExport.ToBytes(model, "int8.onnx", plan, calibration));
        }

        using var reference = OnnxClassifier.Load(fp32, 1);
        using var quantized = OnnxClassifier.Load(int8, 1);
        var agreement = Agreement(reference.Logits(images, 200), quantized.Logits(images, 200), classes: 10);
        var ratio = new FileInfo(fp32).Length / (double)new FileInfo(int8).Length;
        output.WriteLine($"{name}: {ratio:F2}× smaller, top-1 agreement with float {agreement:P1}");

        Assert.True(ratio > minRatio, $"only {ratio:F2}× smaller");
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(int8)).Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var producers = graph.Node.ToDictionary(n => n.Output[0], StringComparer.Ordinal);
        foreach (var layer in graph.Node.Where(n => n.OpType is "Conv" or "Gemm"))
        {
            // No kernel left in float: each is an int8 initializer, dequantized.
            var dequantize = producers[layer.Input[1]];
            Assert.Equal("DequantizeLinear", dequantize.OpType);
            Assert.Equal((int)global::Onnx.TensorProto.Types.DataType.Int8, initializers[dequantize.Input[0]].DataType);
        }

        Assert.True(agreement >= 0.95, $"int8 agrees with float on {agreement:P1} of the images");
        if (name.StartsWith("densenet", StringComparison.Ordinal))
        {
            // Every conv must read the activation itself: MPELU by its formula (relu(y) +
            // α(e^{β·min(y,0)} − 1): a Sub per Exp), not the float file's β-scaled form (no Sub,
            // a BatchNormalization per concatenation) whose per-channel scales and offsets
            // per-tensor int8 cannot hold (a trained DenseNet-BC-16 lost 16 points that way).
            var ops = graph.Node.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            Assert.Equal(ops["Exp"], ops.GetValueOrDefault("Sub"));
            Assert.False(ops.ContainsKey("BatchNormalization"));
        }

        // Compact storage: per-channel float constants as float16 behind a Cast each, short names.
        var halves = initializers.Values.Count(t => t.DataType == (int)global::Onnx.TensorProto.Types.DataType.Float16);
        Assert.True(halves > 0);
        Assert.Equal(halves, graph.Node.Count(n => n.OpType == "Cast"));
        Assert.All(initializers.Keys, n => Assert.True(n.Length <= 2, n));
        var (code, stdout, stderr) = await PythonOnnx.RunAsync(PythonOnnx.CheckScript, int8);
        Assert.True(code == 0, stderr);
        Assert.Equal("batch,10 13 8", stdout.Trim());
    }

    private static double Agreement(float[] a, float[] b, int classes)
    {
        var n = a.Length / classes;
        var same = 0;
        for (var i = 0; i < n; i++)
        {
            if (ArgMax(a.AsSpan(i * classes, classes)) == ArgMax(b.AsSpan(i * classes, classes))) same++;
        }

        return (double)same / n;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }

    public void Dispose() => directory.Dispose();
}
