namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// A worker wrote (atomically, with checksum) a checkpoint of one of its members. When
/// <paramref name="Epoch"/> is given (coordinator.proto <c>CheckpointNotice.epoch</c>, non-zero),
/// the notice is fenced by epoch as reports are, not only by worker.
/// </summary>
public sealed record CheckpointWritten(DateTimeOffset Now, string WorkerId, CheckpointReference Checkpoint, long? Epoch = null) : PopulationInput(Now);
