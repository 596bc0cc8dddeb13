namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// A worker wrote (atomically, with checksum) a checkpoint of one of its members. The wire notice
/// carries no epoch yet (coordinator.proto <c>CheckpointNotice</c>); when <paramref name="Epoch"/>
/// is given, the notice is fenced by epoch as reports are, not only by worker.
/// </summary>
public sealed record CheckpointWritten(DateTimeOffset Now, string WorkerId, CheckpointReference Checkpoint, long? Epoch = null) : PopulationInput(Now);
