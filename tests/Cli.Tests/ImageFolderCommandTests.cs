using System.Text.Json;
using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.GpuActors.Tests.Data;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests;

// `hyperswarm train --data my-photos/` and `eval` on the same folder, as a user runs them: the
// folder is decoded once (then read from the cache), unusable files are listed, and eval repeats
// the run's preprocessing and test split.
[Collection(TrainedRunCollection.Name)]
public sealed class ImageFolderCommandTests(TrainedImageFolderRun trained) : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("hs-cli-folder-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void Train_on_an_image_folder_decodes_it_trains_and_lists_the_skipped_files()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var result = trained.Result;
        Assert.Equal(TrainedRun.Steps, result.GetProperty("weight_steps").GetInt64());
        Assert.InRange(result.GetProperty("test_accuracy").GetDouble(), 0.5, 1); // red against blue: learnt within 30 Adam steps
        Assert.Contains("decoding images: 40 of 40", trained.Stderr + trained.Stdout, StringComparison.Ordinal);
        Assert.Contains("data.batch_size 32 is more than the 28 training images", trained.Stderr + trained.Stdout, StringComparison.Ordinal);

        var directory = new RunDirectory(trained.RunPath);
        Assert.Equal(SyntheticImageFolder.BadFiles, File.ReadAllLines(directory.SkippedFilesPath).Length);
        using var card = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.ModelPath, ExportedModel.CardFileName)));
        var preprocessing = card.RootElement.GetProperty("preprocessing");
        Assert.Equal(32, preprocessing.GetProperty("image_size").GetInt32());
        Assert.Equal(3, preprocessing.GetProperty("channels").GetInt32());
        Assert.Equal("shorter-side-centre-crop", preprocessing.GetProperty("resize").GetString());
        Assert.Equal(["blue", "red"], card.RootElement.GetProperty("class_names").EnumerateArray().Select(e => e.GetString()));
        Assert.Single(Directory.GetFiles(trained.CacheFolder, "*.hsimg"));
    }

    [Fact]
    public async Task Eval_on_the_same_folder_reads_the_cache_and_repeats_the_runs_test_accuracy()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var cacheFile = Assert.Single(Directory.GetFiles(trained.CacheFolder, "*.hsimg"));
        var written = File.GetLastWriteTimeUtc(cacheFile);

        var (code, stdout, stderr) = await CliProcess.RunWithEnvironmentAsync(trained.Environment,
            "eval", "--model", Path.Combine(trained.RunPath, "model"), "--data", trained.DataPath, "--json");

        Assert.True(code == 0, stderr);
        var result = TrainedRun.LastJsonLine(stdout);
        Assert.Equal(trained.Result.GetProperty("test_accuracy").GetDouble(), result.GetProperty("accuracy").GetDouble());
        Assert.Equal(6, result.GetProperty("examples").GetInt32()); // 3 of each class's 20, as the run held out
        Assert.DoesNotContain("decoding images", stderr, StringComparison.Ordinal);
        Assert.Contains("skipped 2 file(s) that cannot be used", stderr, StringComparison.Ordinal);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cacheFile));
    }

    [Fact]
    public async Task A_folder_with_one_class_is_one_line_and_exit_code_2()
    {
        var photos = Directory.CreateDirectory(Path.Combine(scratch, "photos", "cats")).FullName;
        File.WriteAllBytes(Path.Combine(photos, "a.png"), ImageFiles.Solid(SKEncodedImageFormat.Png, 20, 20, SKColors.Orange));
        var runs = Path.Combine(scratch, "runs");

        var (code, stdout, stderr) = await CliProcess.RunWithEnvironmentAsync(trained.Environment,
            ["train", "--data", Path.Combine(scratch, "photos"), "--runs", runs, .. TrainedRun.TinyArguments(5)]);

        Assert.Equal(2, code);
        var line = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal($"error: Cannot read '{Path.Combine(scratch, "photos")}': it holds only one class folder (cats), and a classifier needs at least two (one subfolder of images per class).", line);
        Assert.DoesNotContain("   at HyperSwarm", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Eval_on_a_folder_with_a_class_the_model_lacks_is_one_line_and_exit_code_2()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        foreach (var name in new[] { "red", "zebra" })
        {
            var folder = Directory.CreateDirectory(Path.Combine(scratch, "other", name)).FullName;
            File.WriteAllBytes(Path.Combine(folder, "a.png"), ImageFiles.Solid(SKEncodedImageFormat.Png, 20, 20, SKColors.Orange));
        }

        var (code, stdout, stderr) = await CliProcess.RunWithEnvironmentAsync(trained.Environment,
            "eval", "--model", Path.Combine(trained.RunPath, "model"), "--data", Path.Combine(scratch, "other"));

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: Cannot read '{Path.Combine(scratch, "other")}': its class folder 'zebra' is not one of the model's 2 classes (blue, red).", line);
        Assert.Empty(stdout);
    }
}
