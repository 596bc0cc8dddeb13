namespace HyperSwarm.Coordinator.Store;

/// <summary>The population as it stood after event <paramref name="Sequence"/>.</summary>
/// <param name="Sequence">The last event the snapshot includes.</param>
/// <param name="TakenAt">When the store saved it (UTC, microsecond precision).</param>
/// <param name="SnapshotJson">The state machine's own serialisation, opaque to the store.</param>
public sealed record StoredSnapshot(long Sequence, DateTimeOffset TakenAt, string SnapshotJson);
