using System.Text.Json;
using HyperSwarm.GpuActors.Tests.Training;

namespace HyperSwarm.Cli.Tests.Support;

/// <summary>
/// One tiny <c>hyperswarm train --json</c> run on <see cref="SyntheticImages"/>, shared by the
/// train and eval command tests: a CLI training run costs seconds, so it is made once.
/// </summary>
public sealed class TrainedRun : IAsyncLifetime
{
    /// <summary>Weight steps the shared run trains.</summary>
    public const int Steps = 30;

    private SyntheticImages? data;

    /// <summary>The dataset folder.</summary>
    public string DataPath => data!.Directory;

    /// <summary>The folder given as <c>--runs</c>.</summary>
    public string RunsRoot { get; } = Path.Combine(Path.GetTempPath(), "hs-cli-runs-" + Guid.NewGuid().ToString("N"));

    public int ExitCode { get; private set; }

    public string Stdout { get; private set; } = "";

    public string Stderr { get; private set; } = "";

    /// <summary>A copy of the last stdout line's JSON.</summary>
    public JsonElement Result { get; private set; }

    /// <summary>The run directory the result names.</summary>
    public string RunPath => Result.GetProperty("run").GetString()!;

    /// <summary>
    /// <c>train</c> arguments for a run of <paramref name="steps"/> that takes seconds; Adam
    /// because it learns these classes in a few steps.
    /// </summary>
    public string[] TinyTrainArguments(int steps) => TinyArguments(steps);

    /// <summary><see cref="TinyTrainArguments"/>, for fixtures that train on other data.</summary>
    public static string[] TinyArguments(int steps) =>
    [
        "--set", $"max_steps={steps}", "--set", "budget=none",
        "--set", "data.batch_size=32", "--set", "data.eval_batch_size=100", "--set", "optimizer.kind=adam",
        "--set", "stn.warmup_steps=4", "--set", "stn.train_steps=2", "--set", "stn.val_steps=1",
        "--set", "reporting.log_every_steps=5", "--set", "reporting.checkpoint_every_steps=5",
        "--json",
    ];

    public async Task InitializeAsync()
    {
        data = new SyntheticImages();
        (ExitCode, Stdout, Stderr) = await CliProcess.RunAsync(
            ["train", "--data", DataPath, "--set", "model.kind=small-cnn", "--runs", RunsRoot, .. TinyTrainArguments(Steps)]);
        if (ExitCode == 0) Result = LastJsonLine(Stdout);
    }

    public Task DisposeAsync()
    {
        data?.Dispose();
        if (Directory.Exists(RunsRoot)) Directory.Delete(RunsRoot, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The last non-empty line of <paramref name="stdout"/>, parsed.</summary>
    public static JsonElement LastJsonLine(string stdout)
    {
        using var json = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        return json.RootElement.Clone();
    }
}

/// <summary>The tests that share one <see cref="TrainedRun"/> (and <see cref="TrainedImageFolderRun"/>); also keeps their processes from competing for the 2 cores.</summary>
[CollectionDefinition(Name)]
public sealed class TrainedRunCollection : ICollectionFixture<TrainedRun>, ICollectionFixture<TrainedImageFolderRun>
{
    public const string Name = "trained run";
}
