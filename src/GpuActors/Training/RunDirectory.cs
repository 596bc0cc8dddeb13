namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// The files of one training run, all under one folder: the resolved config, metrics and the
/// hyperparameter schedule as JSON lines, checkpoints, the exported kept model with its card,
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

    /// <summary>The kept model (<see cref="RunCounters.ShouldKeep"/> says which).</summary>
    public string ModelPath => Combine("model");

    /// <summary>Image folders: every file that was not used, one <c>path: reason</c> line each (written only when there is one).</summary>
    public string SkippedFilesPath => Combine("skipped-files.txt");

    /// <summary>The final scores and where everything is.</summary>
    public string ResultPath => Combine("result.json");

    /// <summary>
    /// Written first into a folder <see cref="CreateUnder"/> makes, exclusively: the process that
    /// creates it owns the folder. Holds that process's id and host.
    /// </summary>
    public const string ClaimFileName = ".claim";

    /// <summary>
    /// A fresh folder under <paramref name="root"/> named after the current UTC time (with -2, -3, …
    /// when that name is taken), owned by this call alone even when other processes start runs under
    /// the same root in the same second.
    /// </summary>
    public static RunDirectory CreateUnder(string root, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var name = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var path = System.IO.Path.Combine(root, n == 1 ? name : $"{name}-{n}");
            if (TryClaim(path)) return new RunDirectory(path);
        }
    }

    // Directory.CreateDirectory succeeds on a folder that exists, so checking for the name and then
    // creating it let two runs started in the same second share one folder, each overwriting the
    // other's model and checkpoints. The claim file is created with O_CREAT | O_EXCL (FileMode.CreateNew),
    // which exactly one process wins; a folder that existed before (an older run's, with or without
    // a claim) is never taken.
    private static bool TryClaim(string path)
    {
        if (Directory.Exists(path)) return false;
        Directory.CreateDirectory(path);
        var claim = System.IO.Path.Combine(path, ClaimFileName);
        try
        {
            using var stream = new FileStream(claim, FileMode.CreateNew, FileAccess.Write);
            stream.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}@{Environment.MachineName}\n"));
            return true;
        }
        catch (IOException) when (File.Exists(claim))
        {
            return false;                                                    // another process won this name
        }
    }

    /// <summary>
    /// Deletes the folder if it holds nothing but its claim and config (a run refused before its
    /// first step); a folder with anything else in it (metrics, checkpoints, a model) is kept.
    /// </summary>
    public void DeleteIfUnstarted()
    {
        var unstarted = Directory.EnumerateFileSystemEntries(Path).All(e => e == Combine(ClaimFileName) || e == ConfigPath);
        if (unstarted) Directory.Delete(Path, recursive: true);
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);
}
