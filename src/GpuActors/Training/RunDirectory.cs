namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// The files of one training run, all under one folder: the resolved config, metrics and the
/// hyperparameter schedule as JSON lines, checkpoints, the exported best model with its card,
/// and the final result.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Uses (and creates) <paramref name="path"/>.</summary>
    public RunDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The run folder.</summary>
    public string Path { get; }

    /// <summary>The resolved configuration, as YAML.</summary>
    public string ConfigPath => Combine("config.yaml");

    /// <summary>One JSON object per line: progress reports and evaluations.</summary>
    public string MetricsPath => Combine("metrics.jsonl");

    /// <summary>One JSON object per hyper step: every hyperparameter's value and σ.</summary>
    public string SchedulePath => Combine("hyperparameters.jsonl");

    /// <summary>Periodic checkpoints for resuming.</summary>
    public string CheckpointsPath => Combine("checkpoints");

    /// <summary>The best model by validation accuracy.</summary>
    public string ModelPath => Combine("model");

    /// <summary>Image folders: every file that was not used, one <c>path: reason</c> line each (written only when there is one).</summary>
    public string SkippedFilesPath => Combine("skipped-files.txt");

    /// <summary>The final scores and where everything is.</summary>
    public string ResultPath => Combine("result.json");

    /// <summary>A fresh folder under <paramref name="root"/> named after the current UTC time.</summary>
    public static RunDirectory CreateUnder(string root, DateTimeOffset now)
    {
        var name = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(root, name);
        for (var n = 2; Directory.Exists(path); n++) path = System.IO.Path.Combine(root, $"{name}-{n}");
        return new RunDirectory(path);
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
