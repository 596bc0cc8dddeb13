namespace HyperSwarm.Coordinator.Membership;

/// <summary>Lease and failure-detection settings the <see cref="WorkerRegistry"/> hands out and enforces.</summary>
public sealed record MembershipOptions
{
    /// <summary>How often a worker must send a <c>Heartbeat</c>; sent to it in its lease.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A lease not renewed by a heartbeat for this long has expired. A backstop behind φ:
    /// with the defaults φ crosses its threshold first, the TTL catches a detector tuned too loosely.
    /// </summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>φ at or above this (but below the detector's threshold) shows a worker as suspect.</summary>
    public double SuspectPhi { get; init; } = 3.0;

    /// <summary>Settings of each worker's φ-accrual detector.</summary>
    public PhiAccrualOptions FailureDetector { get; init; } = new();

    /// <summary>Checks every value; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "The heartbeat interval must be positive.");
        }

        if (LeaseTtl <= HeartbeatInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseTtl), LeaseTtl, "The lease TTL must be longer than the heartbeat interval.");
        }

        ArgumentNullException.ThrowIfNull(FailureDetector);
        FailureDetector.Validate();
        if (!(SuspectPhi > 0) || SuspectPhi > FailureDetector.Threshold)
        {
            throw new ArgumentOutOfRangeException(nameof(SuspectPhi), SuspectPhi, "The suspect level must be positive and no higher than the φ threshold.");
        }
    }
}
