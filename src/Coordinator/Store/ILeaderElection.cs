namespace HyperSwarm.Coordinator.Store;

/// <summary>
/// Leader election for stores shared by several coordinators (PostgreSQL): one leads a run,
/// the others stand by until its lease ends. Winning also fences the store instance: once a
/// newer leader exists, its writes fail with <see cref="LeadershipLostException"/>.
/// </summary>
public interface ILeaderElection
{
    /// <summary>Takes the run's leadership if no one holds it; null when another coordinator does.</summary>
    Task<ILeadershipLease?> TryAcquireLeadershipAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Waits, without polling, until the run's leadership is free, and takes it.</summary>
    Task<ILeadershipLease> WaitForLeadershipAsync(string runId, CancellationToken cancellationToken = default);
}
