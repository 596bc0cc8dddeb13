namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>A population event as WatchEvents reports it (or a training notice, for <c>train</c>).</summary>
public sealed record DashboardEvent(long Sequence, DateTimeOffset At, string Kind, string Member, string Worker, string Reason);
