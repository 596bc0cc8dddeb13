using System.Globalization;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// A run's checkpoint folder: files named <c>step-000001200.safetensors</c>, one per saved
/// step. Lists them by step, finds the newest one that reads back intact (falling back past
/// corrupt ones), and prunes old ones.
/// </summary>
public sealed class CheckpointDirectory
{
    private const string Prefix = "step-";
    private const string Extension = ".safetensors";

    /// <summary>Uses (and creates when missing) <paramref name="path"/>.</summary>
    public CheckpointDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The file name of step <paramref name="step"/>; nine digits keep names sorted by step up to a billion.</summary>
    public static string FileName(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return $"{Prefix}{step.ToString("D9", CultureInfo.InvariantCulture)}{Extension}";
    }

    /// <summary>The full path of step <paramref name="step"/>'s checkpoint.</summary>
    public string PathOf(long step) => System.IO.Path.Combine(Path, FileName(step));

    /// <summary>Checkpoint files by ascending step; other files (and temp files) are ignored.</summary>
    public IReadOnlyList<(long Step, string Path)> List()
    {
        var found = new List<(long Step, string Path)>();
        foreach (var file in Directory.EnumerateFiles(Path, $"{Prefix}*{Extension}"))
        {
            var name = System.IO.Path.GetFileName(file);
            var digits = name[Prefix.Length..^Extension.Length];
            if (digits.Length > 0 && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                found.Add((step, file));
            }
        }

        found.Sort((a, b) => a.Step.CompareTo(b.Step));
        return found;
    }

    /// <summary>Writes <paramref name="content"/> as the checkpoint of its step, atomically; returns the path.</summary>
    public async Task<string> SaveAsync(CheckpointContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(content.Step);
        await CheckpointWriter.WriteAsync(path, content, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>
    /// Reads the newest checkpoint that passes every check, newest first; corrupt ones are
    /// skipped and reported through <paramref name="skipped"/>. Null when none is usable.
    /// </summary>
    public CheckpointContent? ReadNewestValid(ICollection<CheckpointException>? skipped = null) =>
        NewestPassing(long.MaxValue, CheckpointReader.Read, skipped);

    /// <summary>
    /// The newest checkpoint below <paramref name="step"/> that passes <see cref="CheckpointReader.Verify"/>
    /// (header and checksum, without loading it); corrupt ones are passed over and reported
    /// through <paramref name="skipped"/>. Null when none is.
    /// </summary>
    public string? NewestValidPathBefore(long step, ICollection<CheckpointException>? skipped = null) =>
        NewestPassing(step, path =>
        {
            CheckpointReader.Verify(path);
            return path;
        }, skipped);

    // Newest first among the checkpoints below `belowStep`: the first that `check` accepts;
    // one it refuses (CheckpointException) is reported through `skipped` and passed over.
    private T? NewestPassing<T>(long belowStep, Func<string, T> check, ICollection<CheckpointException>? skipped)
        where T : class
    {
        foreach (var (step, path) in List().Reverse())
        {
            if (step >= belowStep) continue;
            try
            {
                return check(path);
            }
            catch (CheckpointException e)
            {
                skipped?.Add(e);
            }
        }

        return null;
    }

    /// <summary>
    /// A temp file untouched for this long is the remains of a crashed write. Younger ones may
    /// belong to a save in flight, possibly another process's: on shared storage a member moved
    /// between workers is briefly written from both (the old run's final checkpoint, the new
    /// run's first), and deleting the other's temp file fails its save.
    /// </summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deletes all but the <paramref name="keep"/> newest checkpoints, and temp files that a
    /// crashed write left behind (untouched for <see cref="StaleTempAge"/>); returns the deleted
    /// paths. Call it after a successful save, so the newest checkpoint is known to be good.
    /// Deletions are not fsynced: an old file that reappears after a power cut is harmless.
    /// </summary>
    public IReadOnlyList<string> Prune(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var all = List();
        var staleBefore = DateTime.UtcNow - StaleTempAge;
        var deleted = all.Take(Math.Max(0, all.Count - keep)).Select(c => c.Path)
            .Concat(Directory.EnumerateFiles(Path, $"{AtomicFile.TempPrefix}{Prefix}*").Where(f => File.GetLastWriteTimeUtc(f) < staleBefore))
            .ToList();
        foreach (var file in deleted) File.Delete(file);
        return deleted;
    }
}
