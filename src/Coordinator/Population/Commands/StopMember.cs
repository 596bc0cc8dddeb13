namespace HyperSwarm.Coordinator.Population;

/// <summary>Stop training <paramref name="MemberId"/> on <paramref name="WorkerId"/> and free its slot.</summary>
public sealed record StopMember(string MemberId, string WorkerId, string Reason) : PopulationCommand(MemberId, WorkerId);
