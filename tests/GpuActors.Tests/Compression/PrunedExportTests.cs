using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Onnx;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;
using Xunit.Abstractions;

namespace HyperSwarm.GpuActors.Tests.Compression;

// A pruned export must be the same function as the libtorch model with the plan's masks on
// (which is what fine-tuning trains): for structured plans that proves the removed channels
// were removed consistently through every concatenation, flatten and per-channel op.
public sealed class PrunedExportTests(ITestOutputHelper output) : IDisposable
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";
    private static readonly Lazy<ImageDataset> Test = new(() => DatasetCatalog.Load(FashionMnist).Test);
    private readonly TempDirectory directory = new();

    public static TheoryData<string, double, bool> Cases
    {
        get
        {
            var data = new TheoryData<string, double, bool>();
            foreach (var name in ExportableModels.Cases)
            {
                data.Add(name, 0.5, true);
                data.Add(name, 0.75, false);
            }

            data.Add("densenet-stn-agd", 0.9, true);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Onnx_runtime_on_the_pruned_graph_gives_the_masked_models_logits(string name, double sparsity, bool structured)
    {
        var live = Torch.Torch.LiveTensors;
        var (images, _) = ExportableModels.TestImages(32, Test.Value);
        var dense = directory.File($"{name}-dense.onnx");
        var pruned = directory.File($"{name}-pruned.onnx");
        float[] expected;
        using (var model = ExportableModels.Save(name, directory.File(name)))
        {
            await OnnxExport.WriteAsync(model, dense, CancellationToken.None);
            var plan = PruningPlan.For(model.Model, OnnxExport.Lambda(model), sparsity, structured);
            await File.WriteAllBytesAsync(pruned, OnnxExport.ToBytes(model, Path.GetFileName(pruned), plan));
            var masks = plan.ApplyMasks();
            using (var scope = TensorScope.Begin())
            {
                expected = model.Logits(Tensor.FromArray<float>(images, [32, 1, 28, 28])).ToArray<float>(); // (32, 10)
            }

            plan.ClearMasks();
            foreach (var m in masks) m.Dispose();
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
        using var onnx = OnnxClassifier.Load(pruned, threads: 1);
        var actual = onnx.Logits(images, 32);
        var maxDiff = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        var (denseBytes, prunedBytes) = (new FileInfo(dense).Length, new FileInfo(pruned).Length);
        output.WriteLine($"{name} at {sparsity} ({(structured ? "structured" : "per weight")}): max |ORT − libtorch| = {maxDiff:E2}; {denseBytes:N0} → {prunedBytes:N0} bytes");
        Assert.True(expected.Max(Math.Abs) > 0.5, "the logits are all near 0: the comparison would prove nothing");
        Assert.True(maxDiff <= 1e-4, $"max |ORT − libtorch| = {maxDiff}");
        if (structured) Assert.True(prunedBytes < denseBytes * (1 - sparsity / 2), $"removing {sparsity:P0} of the units left {prunedBytes} of {denseBytes} bytes");
        else Assert.InRange(prunedBytes, denseBytes, denseBytes + 512); // zeros are still stored; the metadata gains a note
    }

    [Theory]
    [InlineData("densenet-batchnorm")]
    [InlineData("small-cnn-stn")]
    [InlineData("densenet-stn-agd")]
    public async Task Debians_onnx_checker_accepts_a_structurally_pruned_file(string name)
    {
        var file = directory.File("p.onnx");
        using (var model = ExportableModels.Save(name, directory.File(name)))
        {
            var plan = PruningPlan.For(model.Model, OnnxExport.Lambda(model), 0.75, structured: true);
            await File.WriteAllBytesAsync(file, OnnxExport.ToBytes(model, "p.onnx", plan));
        }

        var (code, stdout, stderr) = await PythonOnnx.RunAsync(PythonOnnx.CheckScript, file);

        Assert.True(code == 0, stderr);
        Assert.Equal("batch,10 13 8", stdout.Trim());
    }

    [Fact]
    public void Per_weight_plans_zero_the_asked_share_of_every_unit_and_structured_ones_keep_the_classes()
    {
        using var model = ExportableModels.Save("densenet-fixup", directory.File("m"));
        var perWeight = PruningPlan.For(model.Model, null, 0.75, structured: false);
        var structured = PruningPlan.For(model.Model, null, 0.5, structured: true);

        foreach (var layer in perWeight.Layers)
        {
            var keep = perWeight.WeightKeep(layer.Layer)!;
            var fanIn = keep.Length / layer.Units;
            for (var u = 0; u < layer.Units; u++) Assert.Equal(fanIn - (int)Math.Floor(0.75 * fanIn), keep.Skip(u * fanIn).Take(fanIn).Count(k => k));
        }

        foreach (var layer in structured.Layers)
        {
            var kept = structured.KeptUnits(layer.Layer);
            if (layer.IsClassifier) Assert.Null(kept);
            else Assert.Equal(layer.Units - (int)Math.Floor(0.5 * layer.Units), kept!.Length);
        }
    }

    public void Dispose() => directory.Dispose();
}
