namespace HyperSwarm.Coordinator.Population;

/// <summary>A worker wrote (atomically, with checksum) a checkpoint of one of its members.</summary>
public sealed record CheckpointWritten(DateTimeOffset Now, string WorkerId, CheckpointReference Checkpoint) : PopulationInput(Now);
