using System.Security.Cryptography;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Finds a local file for a <see cref="CheckpointRef"/>: on shared storage (no worker address)
/// or on this worker, its own path; on another worker, a copy fetched with that worker's
/// <c>FetchCheckpoint</c>. Either way the file's SHA-256 is checked against the reference when
/// it carries one, so a mismatch is a <see cref="CheckpointException"/> naming the member and file.
/// </summary>
public sealed class CheckpointLocator(CheckpointRoot root, string ownAddress, CheckpointFetcher fetcher)
{
    /// <summary>The checkpoint root fetched copies go into.</summary>
    public CheckpointRoot Root => root;

    /// <summary>
    /// A local file holding <paramref name="source"/>, for a weight exploit: a fetched copy is
    /// <see cref="LocatedCheckpoint.Temporary"/> and belongs to the caller, who deletes it.
    /// </summary>
    public Task<LocatedCheckpoint> ForExploitAsync(CheckpointRef source, CancellationToken cancellationToken) =>
        LocateAsync(source, () => root.FetchedPath(source.MemberId, source.Step), temporary: true, cancellationToken);

    /// <summary>
    /// A local file holding <paramref name="source"/> to resume <paramref name="memberId"/> from; a
    /// fetched copy becomes that member's own checkpoint. When <paramref name="source"/> is read in
    /// place and turns out corrupt or truncated, the newest valid older checkpoint beside it is
    /// used instead (DESIGN.md §5), with <see cref="LocatedCheckpoint.Unusable"/> saying why.
    /// </summary>
    public async Task<LocatedCheckpoint> ForResumeAsync(string memberId, CheckpointRef source, CancellationToken cancellationToken)
    {
        try
        {
            return await LocateAsync(source, () => root.CheckpointPath(memberId, source.Step), temporary: false, cancellationToken).ConfigureAwait(false);
        }
        catch (CheckpointException unusable) when (OlderValid(source, unusable) is { } older)
        {
            return older;
        }
    }

    private async Task<LocatedCheckpoint> LocateAsync(CheckpointRef source, Func<string> destination, bool temporary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (IsReadInPlace(source))
        {
            if (string.IsNullOrEmpty(source.Path)) throw new CheckpointException($"step {source.Step}", $"of member {source.MemberId} has no path to read it from");
            await VerifyAsync(source, cancellationToken).ConfigureAwait(false);
            return new LocatedCheckpoint(source.Path, Temporary: false);
        }

        var path = destination();
        await fetcher.FetchAsync(source, path, cancellationToken).ConfigureAwait(false);
        return new LocatedCheckpoint(path, temporary);
    }

    // Only for a file read in place inside the checkpoint root: its folder holds the member's
    // older checkpoints (coordinator GC keeps two per member so that one can fall back). A
    // fetched file has no such folder here; its failure stands.
    private LocatedCheckpoint? OlderValid(CheckpointRef source, CheckpointException unusable)
    {
        if (!IsReadInPlace(source) || string.IsNullOrEmpty(source.Path) || !root.Contains(source.Path)) return null;
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(source.Path));
        if (folder is null || !Directory.Exists(folder)) return null;
        return new CheckpointDirectory(folder).NewestValidPathBefore(source.Step) is { } path
            ? new LocatedCheckpoint(path, Temporary: false, unusable)
            : null;
    }

    // On shared storage (no address) or on this worker, the file is read where it lies.
    private bool IsReadInPlace(CheckpointRef source) =>
        string.IsNullOrEmpty(source.WorkerAddress) || source.WorkerAddress == ownAddress;

    // A file read in place is checked like a fetched one: the reference names one exact file.
    private static async Task VerifyAsync(CheckpointRef source, CancellationToken cancellationToken)
    {
        if (!File.Exists(source.Path)) throw new CheckpointException(source.Path, $"of member {source.MemberId} does not exist here");
        if (source.Sha256.IsEmpty) return;
        var file = File.OpenRead(source.Path);
        await using (file.ConfigureAwait(false))
        {
            var actual = await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            if (!actual.AsSpan().SequenceEqual(source.Sha256.Span))
            {
                throw new CheckpointException(source.Path, $"of member {source.MemberId} does not match its reference's SHA-256: it changed after the reference was taken");
            }
        }
    }
}
