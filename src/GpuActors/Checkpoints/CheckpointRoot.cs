
namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// The folder a worker keeps its members in: <c>{root}/{member}/</c> is each member's run
/// directory (checkpoints under <c>checkpoints/step-000001200.safetensors</c>), and
/// <c>{root}/.fetched/</c> holds checkpoints copied from other workers for one exploit. Member
/// ids are plain names, so no request can name a file outside the root.
/// </summary>
public sealed class CheckpointRoot
{
    private const string FetchedFolder = ".fetched";
    private const int MaxMemberIdLength = 128;

    /// <summary>Uses (and creates) <paramref name="path"/>.</summary>
    public CheckpointRoot(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder, as a full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Whether <paramref name="memberId"/> can name a folder: 1–128 letters, digits, '-', '_'
    /// or '.', not starting with '.' (so never "..", a hidden folder or a path).
    /// </summary>
    public static bool IsValidMemberId(string? memberId) =>
        !string.IsNullOrEmpty(memberId)
        && memberId.Length <= MaxMemberIdLength
        && memberId[0] != '.'
        && memberId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>The run directory of <paramref name="memberId"/>.</summary>
    public string MemberDirectory(string memberId) => Inside(System.IO.Path.Combine(Path, Checked(memberId)));

    /// <summary>The checkpoint file of <paramref name="memberId"/> at <paramref name="step"/>.</summary>
    public string CheckpointPath(string memberId, long step) =>
        Inside(System.IO.Path.Combine(MemberDirectory(memberId), "checkpoints", CheckpointDirectory.FileName(step)));

    /// <summary>A fresh file name for a copy of another worker's checkpoint, used once and deleted.</summary>
    public string FetchedPath(string memberId, long step)
    {
        var folder = System.IO.Path.Combine(Path, FetchedFolder);
        Directory.CreateDirectory(folder);
        return Inside(System.IO.Path.Combine(folder, $"{Checked(memberId)}-{Guid.NewGuid():N}-{CheckpointDirectory.FileName(step)}"));
    }

    /// <summary>
    /// Whether <paramref name="path"/> lies inside the root, also after following symbolic
    /// links: a link planted in a member folder (to a file or a folder) must not serve a file
    /// from elsewhere.
    /// </summary>
    public bool Contains(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!IsUnder(full)) return false;
        for (var part = full; part.Length > Path.Length; part = System.IO.Path.GetDirectoryName(part)!)
        {
            FileSystemInfo info = Directory.Exists(part) ? new DirectoryInfo(part) : new FileInfo(part);
            if (info.LinkTarget is null) continue;
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is null || !IsUnder(System.IO.Path.GetFullPath(target.FullName))) return false;
        }

        return true;
    }

    private bool IsUnder(string full) => full.StartsWith(Path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Checked(string memberId) => IsValidMemberId(memberId)
        ? memberId
        : throw new ArgumentException($"'{memberId}' is not a member id: use 1–{MaxMemberIdLength} letters, digits, '-', '_' or '.', not starting with '.'.", nameof(memberId));

    // Defence in depth: a valid id can never leave the root, and this says so if that changes.
    private string Inside(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        return IsUnder(full) ? full : throw new InvalidOperationException($"'{full}' is outside the checkpoint root {Path}.");
    }
}
