using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Tests.Onnx;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Compression;

// Fine-tuning trains the pruned network itself: what was pruned stays pruned (the export after
// it is still the masked model's function), the loss goes down, and no tensor outlives it.
public sealed class FineTuningTests : IDisposable
{
    private readonly SyntheticImages data = new(train: 600, test: 200);
    private readonly TempDirectory directory = new();

    [Theory]
    [InlineData("small-cnn-stn", true)]
    [InlineData("densenet-stn-agd", false)]
    public async Task Fine_tuning_lowers_the_pruned_loss_and_keeps_the_export_equal_to_the_masked_model(string name, bool structured)
    {
        var live = Torch.Torch.LiveTensors;
        var sets = DatasetCatalog.Load(data.Directory);
        var (images, _) = ExportableModels.TestImages(32, sets.Test);
        var file = directory.File("tuned.onnx");
        float[] expected;
        Evaluation before, after;
        long steps;
        using (var model = ExportableModels.Save(name, directory.File(name)))
        {
            var plan = PruningPlan.For(model.Model, OnnxExport.Lambda(model), 0.5, structured);
            before = Score(model, plan, sets.Test);
            steps = FineTuning.Run(model, plan, sets.Train, new FineTuneBudget(null, 40), seed: 1, CancellationToken.None);
            after = Score(model, plan, sets.Test);
            await File.WriteAllBytesAsync(file, OnnxExport.ToBytes(model, "tuned.onnx", plan));
            var masks = plan.ApplyMasks();
            using (var scope = TensorScope.Begin())
            {
                expected = model.Logits(Tensor.FromArray<float>(images, [32, 1, 28, 28])).ToArray<float>();
            }

            plan.ClearMasks();
            foreach (var m in masks) m.Dispose();
        }

        Assert.Equal(live, Torch.Torch.LiveTensors);
        Assert.Equal(40, steps);
        Assert.True(after.Loss < before.Loss * 0.8, $"test loss {before.Loss:F3} → {after.Loss:F3}");
        using var onnx = OnnxClassifier.Load(file, 1);
        var maxDiff = expected.Zip(onnx.Logits(images, 32), (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDiff <= 1e-4, $"max |ORT − libtorch| = {maxDiff}");
    }

    [Fact]
    public void A_budget_with_neither_time_nor_steps_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new FineTuneBudget(null, null).Validate());

        Assert.Equal("a fine-tuning budget needs a duration or a number of steps.", e.Message);
    }

    // The pruned model's test loss, through ONNX Runtime (what would be shipped).
    private Evaluation Score(ExportedModel model, PruningPlan plan, ImageDataset test)
    {
        var path = directory.File($"score-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, OnnxExport.ToBytes(model, Path.GetFileName(path), plan));
        using var onnx = OnnxClassifier.Load(path, 1);
        return HostEvaluator.Evaluate(onnx.Logits, test, [.. Enumerable.Range(0, test.Count)], model.Normalization, 100);
    }

    public void Dispose()
    {
        data.Dispose();
        directory.Dispose();
    }
}
