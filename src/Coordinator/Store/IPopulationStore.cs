namespace HyperSwarm.Coordinator.Store;

/// <summary>
/// The coordinator's durable memory: an append-only population event log, snapshots of the
/// population, the run's metadata and the checkpoint registry. Payloads are opaque JSON text,
/// so the store never depends on the population state machine's types. Rebuilding the
/// population is the latest snapshot plus the events after it (<see cref="PopulationReplay"/>).
/// Every failure of the underlying database surfaces as a <see cref="StoreException"/>.
/// </summary>
public interface IPopulationStore : IAsyncDisposable
{
    /// <summary>
    /// Appends one event and returns its sequence: 1 for the first event, then exactly one more
    /// than the previous, with no gaps, also when several tasks append at once.
    /// </summary>
    Task<long> AppendAsync(
        string kind, string? memberId, string? workerId, string? reason, string payloadJson,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="events"/> (at least one) in one transaction: all or none are
    /// stored, with consecutive sequences in list order. Returns the first one's sequence. One
    /// commit for many events is what lets the coordinator persist a whole actor turn cheaply.
    /// </summary>
    Task<long> AppendBatchAsync(IReadOnlyList<EventToAppend> events, CancellationToken cancellationToken = default);

    /// <summary>The events with a sequence above <paramref name="afterSequence"/>, in order, read page by page.</summary>
    IAsyncEnumerable<StoredEvent> ReadEventsAsync(long afterSequence, CancellationToken cancellationToken = default);

    /// <summary>The sequence of the last appended event, 0 when the log is empty.</summary>
    Task<long> GetLastSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a snapshot that reflects every event up to and including <paramref name="sequence"/>
    /// and drops older snapshots. Snapshots only move forward and never ahead of the log.
    /// </summary>
    Task SaveSnapshotAsync(long sequence, string snapshotJson, CancellationToken cancellationToken = default);

    /// <summary>The newest snapshot, or null when none was saved.</summary>
    Task<StoredSnapshot?> LoadLatestSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the run id and resolved config once. Setting the same values again is a no-op (a
    /// restarted coordinator may repeat it); different values are refused.
    /// </summary>
    Task SetRunMetadataAsync(string runId, string configYaml, CancellationToken cancellationToken = default);

    /// <summary>The run's metadata, or null before <see cref="SetRunMetadataAsync"/>.</summary>
    Task<RunMetadata?> GetRunMetadataAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a checkpoint a worker wrote. Recording the same member and step again replaces
    /// the entry (a resumed member may rewrite a step elsewhere) and makes it live again.
    /// </summary>
    Task RecordCheckpointAsync(
        string memberId, long step, string path, long sizeBytes, string sha256, string workerAddress,
        CancellationToken cancellationToken = default);

    /// <summary>One member's checkpoints, collected ones included, by step.</summary>
    Task<IReadOnlyList<CheckpointRecord>> ListCheckpointsAsync(string memberId, CancellationToken cancellationToken = default);

    /// <summary>The whole registry, collected entries included, by member then step.</summary>
    Task<IReadOnlyList<CheckpointRecord>> ListAllCheckpointsAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks a checkpoint's file as deleted. Idempotent; an unknown checkpoint is an error.</summary>
    Task MarkCollectedAsync(CheckpointKey checkpoint, CancellationToken cancellationToken = default);
}
