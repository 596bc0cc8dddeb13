using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// A run on an image folder: the card must carry what eval needs to repeat the preprocessing,
// and the run directory must list what was skipped.
public sealed class TrainingRunImageFolderTests : IDisposable
{
    private readonly SyntheticImageFolder folder = new();
    private readonly TempDirectory runs = new();
    private readonly string? cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");

    public TrainingRunImageFolderTests() =>
        // The run finds its cache where every hyperswarm process does; this assembly's tests run one at a time.
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", runs.File("cache"));

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", cacheHome);
        runs.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void A_run_on_an_image_folder_records_its_preprocessing_and_lists_its_skipped_files()
    {
        var tiny = TinyRuns.Config(folder.Directory, optimizer: "adam", maxSteps: 8);
        var config = tiny with { Data = tiny.Data with { BatchSize = 8, EvalBatchSize = 16 } };
        var directory = new RunDirectory(runs.File("run"));
        var decoding = new List<ImageDecodeProgress>();
        TrainingResult result;
        using (var run = new TrainingRun(config, directory, new TrainingObserver { Decoding = decoding.Add }))
        {
            Assert.Equal((28, 6, 6), run.SplitSizes); // of 20 per class: 3 held out for test, then 3 of 17 for validation
            result = run.Run();
        }

        Assert.Equal(40, decoding[^1].Done);
        Assert.Equal(40, decoding[^1].Total);
        var card = ModelCard.Parse(File.ReadAllText(result.ModelCardPath!), result.ModelCardPath!);
        Assert.Equal(SyntheticImageFolder.Classes, card.ClassNames);
        Assert.Equal(new ImagePreprocessing { ImageSize = 32, Channels = 3 }, card.Preprocessing); // the median shorter side of 24–47 × 24–47 pixels, about 31
        Assert.Equal([3, 32, 32], card.InputShape);
        Assert.Equal(Path.GetFileName(folder.Directory), card.Dataset);
        Assert.Equal(
            ["blue/notes.txt: it is not a JPEG, PNG, BMP, GIF or WebP image", "red/broken.jpg: the file is empty"],
            File.ReadAllLines(directory.SkippedFilesPath));
        Assert.Contains($"skipped {SyntheticImageFolder.BadFiles} files of {folder.Directory} that cannot be used (all listed in {directory.SkippedFilesPath})",
            File.ReadAllText(directory.MetricsPath), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_run_on_the_folder_decodes_nothing_and_eval_repeats_the_test_score()
    {
        var tiny = TinyRuns.Config(folder.Directory, optimizer: "adam", maxSteps: 8);
        var config = tiny with { Data = tiny.Data with { BatchSize = 8, EvalBatchSize = 16 } };
        using (var first = new TrainingRun(config))
        {
        }

        var decoding = new List<ImageDecodeProgress>();
        var directory = new RunDirectory(runs.File("second"));
        TrainingResult result;
        using (var second = new TrainingRun(config, directory, new TrainingObserver { Decoding = decoding.Add }))
        {
            result = second.Run();
        }

        Assert.Empty(decoding);
        using var model = ExportedModel.Load(directory.ModelPath);
        var sets = DatasetCatalog.Load(folder.Directory, new DatasetLoadOptions
        {
            Preprocessing = model.Card.Preprocessing,
            ClassNames = model.Card.ClassNames,
            CacheDirectory = ImageFolderCache.DefaultDirectory(),
        });
        var again = Evaluator.Evaluate(model.Logits, sets.Test, Enumerable.Range(0, sets.Test.Count).ToList(), model.Normalization, 16);
        Assert.Equal(result.Test.Accuracy, again.Accuracy);
        Assert.Equal(result.Test.Loss, again.Loss, 5);
        Assert.Equal(6, again.Examples);
    }
}
