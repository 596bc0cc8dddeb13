using System.Text.Json;
using HyperSwarm.GpuActors.Tests.Training;

namespace HyperSwarm.Cli.Tests.Support;

/// <summary>
/// One tiny <c>hyperswarm train --data FOLDER --json</c> run on a <see cref="SyntheticImageFolder"/>
/// (two classes, mixed sizes and formats, two unusable files), with its own image cache
/// (<c>XDG_CACHE_HOME</c>), shared by the image folder command tests.
/// </summary>
public sealed class TrainedImageFolderRun : IAsyncLifetime
{
    private SyntheticImageFolder? folder;

    /// <summary>The image folder.</summary>
    public string DataPath => folder!.Directory;

    /// <summary>A private root for runs and the cache.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "hs-cli-images-" + Guid.NewGuid().ToString("N"));

    /// <summary>The environment every command of these tests runs in: the cache under <see cref="Root"/>.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["XDG_CACHE_HOME"] = Path.Combine(Root, "cache") };

    /// <summary>Where the decoded folder is cached.</summary>
    public string CacheFolder => Path.Combine(Root, "cache", "hyperswarm", "image-folders");

    public int ExitCode { get; private set; }

    public string Stdout { get; private set; } = "";

    public string Stderr { get; private set; } = "";

    /// <summary>The last stdout line's JSON.</summary>
    public JsonElement Result { get; private set; }

    /// <summary>The run directory the result names.</summary>
    public string RunPath => Result.GetProperty("run").GetString()!;

    public async Task InitializeAsync()
    {
        folder = new SyntheticImageFolder();
        (ExitCode, Stdout, Stderr) = await CliProcess.RunWithEnvironmentAsync(Environment,
            ["train", "--data", DataPath, "--set", "model.kind=small-cnn", "--runs", Path.Combine(Root, "runs"), .. TrainedRun.TinyArguments(TrainedRun.Steps)]);
        if (ExitCode == 0) Result = TrainedRun.LastJsonLine(Stdout);
    }

    public Task DisposeAsync()
    {
        folder?.Dispose();
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }
}
