namespace HyperSwarm.Coordinator.Store;

/// <summary>One entry of the checkpoint registry.</summary>
/// <param name="MemberId">The member that saved it.</param>
/// <param name="Step">The member's step when it saved it.</param>
/// <param name="Path">Where the file lies on the worker (or on shared storage).</param>
/// <param name="SizeBytes">The file's length.</param>
/// <param name="Sha256">The file's checksum, 64 lower-case hex digits (docs/checkpoints.md).</param>
/// <param name="WorkerAddress">The worker that serves it over FetchCheckpoint.</param>
/// <param name="RecordedAt">When the store registered it (UTC, microsecond precision).</param>
/// <param name="CollectedAt">When its file was deleted by checkpoint GC; null while it is live.</param>
public sealed record CheckpointRecord(
    string MemberId,
    long Step,
    string Path,
    long SizeBytes,
    string Sha256,
    string WorkerAddress,
    DateTimeOffset RecordedAt,
    DateTimeOffset? CollectedAt)
{
    /// <summary>The member and step that identify this checkpoint.</summary>
    public CheckpointKey Key => new(MemberId, Step);

    /// <summary>True once checkpoint GC has deleted the file.</summary>
    public bool IsCollected => CollectedAt is not null;
}
