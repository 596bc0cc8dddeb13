namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Where one checkpoint of a member lives and how to verify it (population.proto
/// <c>CheckpointRef</c>). The checksum is kept as lower-case hex so the record compares by value.
/// </summary>
public sealed record CheckpointReference(string MemberId, long Step, string WorkerAddress, string Path, long SizeBytes, string Sha256Hex);
