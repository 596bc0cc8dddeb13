namespace HyperSwarm.Coordinator.Population;

/// <summary>A member's actor failed on its worker for a reason other than divergence (a crash, out of memory).</summary>
public sealed record MemberFailed(DateTimeOffset Now, string WorkerId, string MemberId, long Epoch, string Reason) : PopulationInput(Now);
