using HyperSwarm.Cli.Predict;
using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.GpuActors.Tests.Data;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests.Predict;

// The predictor in this process, so its native tensors can be counted: every batch's tensors
// are freed, whatever the files hold.
[Collection(InProcessTorchCollection.Name)]
public sealed class ImagePredictorTests : IDisposable
{
    private static readonly string[] Classes = ["a", "b", "c", "d"];

    private readonly string scratch = Directory.CreateTempSubdirectory("hs-cli-predictor-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task Predicting_two_batches_of_files_frees_every_tensor_it_made()
    {
        var files = Enumerable.Range(0, 70).Select(i => Write($"{i:D2}.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 20 + i % 7, 18, new SKColor((byte)(3 * i), 90, 200)))).ToList();
        files.Insert(33, Write("broken.png", [0x89, (byte)'P', (byte)'N', (byte)'G']));
        var modelPath = Path.Combine(scratch, "model");
        var before = Torch.Torch.LiveTensors;

        var (predicted, skipped) = await TorchThread.RunAsync(1, () =>
        {
            SaveUntrainedModel(modelPath);
            using var model = ExportedModel.Load(modelPath);
            var predictions = new List<Prediction>();
            var skips = new List<SkippedFile>();
            new ImagePredictor(model, model.Card.Preprocessing!, top: 4).Predict(files, predictions.Add, skips.Add);
            return (predictions, skips);
        });

        Assert.Equal(before, Torch.Torch.LiveTensors);
        Assert.Equal(70, predicted.Count);
        Assert.Equal(files.Where(f => !f.EndsWith("broken.png", StringComparison.Ordinal)), predicted.Select(p => p.File)); // in file order
        Assert.Equal(Path.Combine(scratch, "broken.png"), Assert.Single(skipped).Path);
        Assert.All(predicted, p =>
        {
            Assert.Equal(Classes.Order(StringComparer.Ordinal), p.Top.Select(t => t.Label).Order(StringComparer.Ordinal));
            Assert.InRange(p.Top.Sum(t => t.Probability), 1 - 1e-5, 1 + 1e-5); // all four classes: the whole softmax
        });
    }

    [Fact]
    public void Ranking_puts_the_most_likely_first_and_keeps_class_order_on_ties()
    {
        var ranked = Prediction.Rank("x.png", [0.1f, 0.4f, 0.1f, 0.4f], Classes, 3);

        Assert.Equal(["b", "d", "a"], ranked.Top.Select(t => t.Label));
        Assert.Equal([0.4f, 0.4f, 0.1f], ranked.Top.Select(t => (float)t.Probability));
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // A small CNN with its initial weights and a card that says how files become its 3x16x16
    // input: enough to run predictions, no training needed.
    private static void SaveUntrainedModel(string directory)
    {
        var config = new ModelConfig { Kind = "small-cnn" };
        using var model = ModelFactory.Create(config, new ImageShape(3, 16, 16), Classes.Length, null, "adam");
        var card = new ModelCard
        {
            Weights = ExportedModel.WeightsFileName,
            Model = config,
            Dataset = "letters",
            InputShape = [3, 16, 16],
            Mean = [0.5f, 0.5f, 0.5f],
            Std = [0.25f, 0.25f, 0.25f],
            ClassNames = Classes,
            Preprocessing = new ImagePreprocessing { ImageSize = 16, Channels = 3 },
            Tuned = [],
            Hyperparameters = [],
            Optimizer = "adam",
            WeightSteps = 0,
            Epochs = 0,
            Parameters = 0,
            ValidationAccuracy = 0,
        };
        ExportedModel.SaveAsync(directory, ExportedModel.Snapshot(model, null, 0), card, CancellationToken.None).GetAwaiter().GetResult();
    }
}
