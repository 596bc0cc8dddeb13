namespace HyperSwarm.Coordinator.Population;

/// <summary>A worker says a member completed its training at <paramref name="Step"/>.</summary>
public sealed record MemberFinished(DateTimeOffset Now, string WorkerId, string MemberId, long Epoch, long Step) : PopulationInput(Now);
