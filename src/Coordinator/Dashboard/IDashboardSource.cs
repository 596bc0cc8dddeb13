namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// Where a dashboard's data comes from: a coordinator's population
/// (<see cref="PopulationDashboardSource"/>) or a single training run
/// (<see cref="SingleRunDashboardSource"/>).
/// </summary>
public interface IDashboardSource
{
    /// <summary>The state now; cheap enough to call every second.</summary>
    DashboardSnapshot Snapshot();

    /// <summary>
    /// Events from now on, until <paramref name="cancellationToken"/> fires or the source stops
    /// (or drops a watcher that fell behind: the caller watches again).
    /// </summary>
    IAsyncEnumerable<DashboardEvent> WatchAsync(CancellationToken cancellationToken);
}
