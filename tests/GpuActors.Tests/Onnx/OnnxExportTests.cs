using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;
using Xunit.Abstractions;

namespace HyperSwarm.GpuActors.Tests.Onnx;

// The exported graph must be the same function as the libtorch model it came from (MPELU,
// Fixup, batch norm and hyper layers folded), on real images, and a file the ONNX checker accepts.
public sealed class OnnxExportTests(ITestOutputHelper output) : IDisposable
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";
    private static readonly Lazy<ImageDataset> Test = new(() => DatasetCatalog.Load(FashionMnist).Test);
    private readonly TempDirectory directory = new();

    public static TheoryData<string> Cases => new(ExportableModels.Cases);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Onnx_runtime_on_the_exported_graph_gives_libtorchs_logits_on_fashion_mnist_test_images(string name)
    {
        var live = Torch.Torch.LiveTensors;
        var (images, _) = ExportableModels.TestImages(64, Test.Value);
        var file = directory.File($"{name}.onnx");
        float[] expected;
        using (var model = ExportableModels.Save(name, directory.File(name)))
        {
            using (var scope = TensorScope.Begin())
            {
                expected = model.Logits(Tensor.FromArray<float>(images, [64, 1, 28, 28])).ToArray<float>(); // (64, 10)
            }

            await OnnxExport.WriteAsync(model, file, CancellationToken.None);
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
        using var onnx = OnnxClassifier.Load(file, threads: 1);
        var actual = onnx.Logits(images, 64);                                                         // (64, 10)

        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        var scale = expected.Max(Math.Abs);
        output.WriteLine($"{name}: max |ORT − libtorch| = {maxDiff:E2} on logits up to {scale:F2}; {new FileInfo(file).Length:N0} bytes");
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(scale > 0.5, $"the logits are all near 0 ({scale}): the comparison would prove nothing");
        Assert.True(maxDiff <= 1e-4, $"max |ORT − libtorch| = {maxDiff}");
        // The classifier writes the output itself: no Identity copying it at the end.
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(await File.ReadAllBytesAsync(file)).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType == "Identity");
        Assert.Equal("logits", graph.Node.Single(n => n.Output.Contains("logits")).Output[0]);
    }

    [Fact]
    public async Task The_hyper_layers_are_folded_at_the_models_own_lambda()
    {
        // One model exported twice with λ̃ moved in between: the file must follow λ̃.
        var (images, _) = ExportableModels.TestImages(8, Test.Value);
        using var model = ExportableModels.Save("small-cnn-stn", directory.File("m"));
        var before = directory.File("before.onnx");
        var after = directory.File("after.onnx");
        await OnnxExport.WriteAsync(model, before, CancellationToken.None);
        using (NoGrad.Enter()) model.Space!.Unconstrained.AddInPlace(1.0);
        await OnnxExport.WriteAsync(model, after, CancellationToken.None);

        using var first = OnnxClassifier.Load(before, 1);
        using var second = OnnxClassifier.Load(after, 1);
        var shift = first.Logits(images, 8).Zip(second.Logits(images, 8), (a, b) => Math.Abs(a - b)).Max();

        Assert.True(shift > 1e-2, $"moving λ̃ moved the exported logits by only {shift}");
    }

    [Theory]
    [InlineData("densenet-stn-agd")]
    [InlineData("densenet-batchnorm")]
    [InlineData("small-cnn-stn")]
    public async Task Debians_onnx_checker_accepts_the_file_with_full_shape_inference(string name)
    {
        using (var model = ExportableModels.Save(name, directory.File(name)))
        {
            await OnnxExport.WriteAsync(model, directory.File("m.onnx"), CancellationToken.None);
        }

        var (code, stdout, stderr) = await PythonOnnx.RunAsync(PythonOnnx.CheckScript, directory.File("m.onnx"));

        Assert.True(code == 0, stderr);
        Assert.Equal("batch,10 13 8", stdout.Trim());
    }

    [Fact]
    public async Task The_metadata_records_the_input_preprocessing_of_the_card()
    {
        using (var model = ExportableModels.Save("small-cnn", directory.File("m")))
        {
            await OnnxExport.WriteAsync(model, directory.File("m.onnx"), CancellationToken.None);
        }

        using var onnx = OnnxClassifier.Load(directory.File("m.onnx"), 1);
        var (code, stdout, stderr) = await PythonOnnx.RunAsync(
            "import onnx, sys; m = onnx.load(sys.argv[1]); p = {e.key: e.value for e in m.metadata_props}; print(p['mean'], p['std'], p['input_shape'], p['labels'][:11])",
            directory.File("m.onnx"));

        Assert.True(code == 0, stderr);
        Assert.Equal("0.286 0.353 1,28,28 [\"class 0\",", stdout.Trim());
        Assert.Equal([0.2860f], onnx.Card.Mean);
        Assert.Equal("m.onnx", onnx.Card.Weights);
        Assert.Equal("small-cnn", onnx.Card.Model.Kind);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused_in_one_sentence()
    {
        var file = directory.File("garbage.onnx");
        File.WriteAllBytes(file, [1, 2, 3, 4, 5]);

        var e = Assert.Throws<FormatException>(() => OnnxClassifier.Load(file, 1));

        Assert.StartsWith($"{file} is not an ONNX model ONNX Runtime can load: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    public void Dispose() => directory.Dispose();
}
