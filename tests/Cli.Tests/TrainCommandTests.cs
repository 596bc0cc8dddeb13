using HyperSwarm.Cli.Config;
using HyperSwarm.Cli.Tests.Support;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Tests;

// `hyperswarm train` end to end as a user runs it: exit codes, the JSON result line, and a run
// directory that `--resume` and `eval` can pick up again.
[Collection(TrainedRunCollection.Name)]
public sealed class TrainCommandTests(TrainedRun trained)
{
    [Fact]
    public void Train_prints_the_result_as_json_and_writes_a_run_directory()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var result = trained.Result;
        Assert.InRange(result.GetProperty("test_accuracy").GetDouble(), 0.5, 1); // Adam learns the synthetic classes within 30 steps
        Assert.Equal(TrainedRun.Steps, result.GetProperty("weight_steps").GetInt64());
        Assert.Equal("max_steps", result.GetProperty("stopped_by").GetString());
        Assert.Equal(Path.GetFullPath(trained.RunsRoot), Path.GetDirectoryName(trained.RunPath));

        var directory = new RunDirectory(trained.RunPath);
        Assert.True(File.Exists(directory.ResultPath));
        Assert.True(File.Exists(Path.Combine(directory.ModelPath, ExportedModel.CardFileName)));
    }

    [Fact]
    public void The_run_directory_config_reloads_to_the_config_that_ran()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);

        var path = new RunDirectory(trained.RunPath).ConfigPath;
        var config = TrainConfigLoader.Load(path, new Dictionary<string, string>(), []);

        Assert.Equal(File.ReadAllText(path), TrainConfigLoader.ToYaml(config)); // nothing lost or changed on the way back
        Assert.Equal(trained.DataPath, config.Data.Path);
        Assert.Equal("small-cnn", config.Model.Kind);
        Assert.Equal(TrainedRun.Steps, config.MaxSteps);
        Assert.Null(config.Budget);
        Assert.Equal("adam", config.Optimizer.Kind);
        Assert.Equal(4, config.Stn.WarmupSteps);
    }

    [Fact]
    public async Task Resume_continues_a_copied_run_to_a_larger_max_steps()
    {
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var copy = Path.Combine(trained.RunsRoot, "resumed");
        CopyDirectory(trained.RunPath, copy);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["train", "--resume", copy, .. trained.TinyTrainArguments(TrainedRun.Steps + 10)]);

        Assert.True(code == 0, stderr);
        var result = TrainedRun.LastJsonLine(stdout);
        Assert.Equal(TrainedRun.Steps + 10, result.GetProperty("weight_steps").GetInt64());
        Assert.Equal(Path.GetFullPath(copy), result.GetProperty("run").GetString());
        var metrics = File.ReadAllText(new RunDirectory(copy).MetricsPath);
        Assert.Contains($"resumed from weight step {TrainedRun.Steps} (", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_kind_is_one_line_and_exit_code_2()
    {
        var runs = Path.Combine(trained.RunsRoot, "refused");

        var (code, stdout, stderr) = await CliProcess.RunAsync("train", "--data", trained.DataPath, "--set", "model.kind=resnet", "--runs", runs);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("model.kind", line, StringComparison.Ordinal);
        Assert.Contains("resnet", line, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.False(Directory.Exists(runs)); // refused before a run directory is made
    }

    [Fact]
    public async Task A_data_folder_that_does_not_exist_is_one_line_and_exit_code_2_before_a_run_directory()
    {
        var runs = Path.Combine(trained.RunsRoot, "no-data");

        var (code, stdout, stderr) = await CliProcess.RunAsync("train", "--data", Path.Combine(trained.RunsRoot, "typo"), "--runs", runs);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: data.path ", line, StringComparison.Ordinal);
        Assert.Contains("typo does not exist", line, StringComparison.Ordinal);
        Assert.Empty(stdout);
        Assert.False(Directory.Exists(runs));
    }

    [Fact]
    public async Task Data_refused_after_the_run_directory_was_made_leaves_no_run_directory()
    {
        var runs = Path.Combine(trained.RunsRoot, "empty-data");
        var empty = Directory.CreateDirectory(Path.Combine(trained.RunsRoot, "empty-folder")).FullName;

        var (code, _, stderr) = await CliProcess.RunAsync("train", "--data", empty, "--runs", runs);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(runs) ? Directory.GetDirectories(runs) : []);
    }

    [Fact]
    public async Task A_run_that_diverges_past_its_recoveries_is_one_error_line_and_exit_code_1()
    {
        var runs = Path.Combine(trained.RunsRoot, "diverged");

        // Adam at 1e8 throws the weights far off at every step, at every halving too.
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["train", "--data", trained.DataPath, "--set", "model.kind=small-cnn", "--runs", runs, .. trained.TinyTrainArguments(TrainedRun.Steps), "--set", "optimizer.learning_rate=1e8"]);

        Assert.Equal(1, code);
        var last = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("error: training diverged at weight step ", last, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at HyperSwarm", stderr, StringComparison.Ordinal); // no stack trace without --verbose
        Assert.Empty(stdout); // no result line
        var run = Assert.Single(Directory.GetDirectories(runs));
        var metrics = File.ReadAllText(new RunDirectory(run).MetricsPath);
        Assert.Contains("halved the step size", metrics, StringComparison.Ordinal);
        Assert.Contains("(recovery 3 of 3)", metrics, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
