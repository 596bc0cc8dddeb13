namespace HyperSwarm.Cli.Tests.Support;

/// <summary>
/// A model briefly trained by <c>hyperswarm train</c> on a <see cref="ColourFolder"/> (four
/// classes), with its own image cache, for the predict tests: more classes than top-K, and a
/// test split it does not get entirely right.
/// </summary>
public sealed class TrainedColourModel : IAsyncLifetime
{
    private ColourFolder? folder;

    /// <summary>A private root for the folder, the runs and the cache.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "hs-cli-colours-" + Guid.NewGuid().ToString("N"));

    /// <summary>The environment every command of these tests runs in: the cache under <see cref="Root"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["XDG_CACHE_HOME"] = Path.Combine(Root, "cache") };

    /// <summary>The image folder (train/ and test/).</summary>
    public string DataPath => folder!.Root;

    /// <summary>Its test images, a folder per class.</summary>
    public string TestFolder => folder!.TestFolder;

    /// <summary>The run's exported model folder.</summary>
    public string ModelPath => Path.Combine(TrainedRun.LastJsonLine(Stdout).GetProperty("run").GetString()!, "model");

    public int ExitCode { get; private set; }

    public string Stdout { get; private set; } = "";

    public string Stderr { get; private set; } = "";

    public async Task InitializeAsync()
    {
        folder = new ColourFolder(Path.Combine(Root, "colours"));
        // 12 steps: enough to tell the pure tints apart, too few to be sure about the blends.
        (ExitCode, Stdout, Stderr) = await CliProcess.RunWithEnvironmentAsync(Environment,
            ["train", "--data", DataPath, "--set", "model.kind=small-cnn", "--runs", Path.Combine(Root, "runs"), .. TrainedRun.TinyArguments(12)]);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
