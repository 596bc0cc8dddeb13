namespace HyperSwarm.Coordinator.Membership;

/// <summary>The registry's mutable record of one worker's latest lease.</summary>
internal sealed class WorkerEntry(WorkerLease lease, PhiAccrualFailureDetector detector, TimeSpan expiresAt)
{
    public WorkerLease Lease { get; } = lease;

    public PhiAccrualFailureDetector Detector { get; } = detector;

    /// <summary>Monotonic instant at which the lease expires unless a heartbeat renews it.</summary>
    public TimeSpan ExpiresAt { get; set; } = expiresAt;

    /// <summary>Null while the lease is live; why it ended otherwise.</summary>
    public DownReason? Ended { get; set; }
}
