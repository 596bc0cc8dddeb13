namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// One edge of the lineage: <see cref="Member"/> took <see cref="Source"/>'s hyperparameters
/// (<c>hyperparameters</c>) or weights (<c>exploit</c>) at its step <see cref="Step"/>.
/// </summary>
public sealed record DashboardCopy(string Member, string Source, string Kind, long Step, long SourceStep, DateTimeOffset At);
