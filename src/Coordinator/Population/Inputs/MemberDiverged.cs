namespace HyperSwarm.Coordinator.Population;

/// <summary>A worker saw a member's loss turn NaN or infinite at <paramref name="Step"/>.</summary>
public sealed record MemberDiverged(DateTimeOffset Now, string WorkerId, string MemberId, long Epoch, long Step, string Reason) : PopulationInput(Now);
