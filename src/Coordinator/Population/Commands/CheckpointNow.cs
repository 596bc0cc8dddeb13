namespace HyperSwarm.Coordinator.Population;

/// <summary>Write a checkpoint of <paramref name="MemberId"/> now (a move waits for one).</summary>
public sealed record CheckpointNow(string MemberId, string WorkerId) : PopulationCommand(MemberId, WorkerId);
