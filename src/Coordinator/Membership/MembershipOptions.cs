namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// The lease settings the <see cref="WorkerRegistry"/> hands out and enforces. Liveness itself is
/// Akka's (failure detector and split-brain resolver, <c>ClusterNodeOptions</c>); these cover
/// what Akka cannot see: a worker that joined over gRPC but never reached the cluster, and
/// workers a restarted coordinator still counts on.
/// </summary>
public sealed record MembershipOptions
{
    /// <summary>How often a worker lists its running members (a <c>Heartbeat</c>); sent to it in its lease.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A lease whose node has not become a member of the Akka cluster this long after the join has expired.</summary>
    public TimeSpan JoinWithin { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a restarted coordinator waits for the workers its population still counts on
    /// before declaring them lost. A worker notices the old coordinator is gone only when its own
    /// split-brain resolver downs it (failure detection plus stable-after), then joins again.
    /// </summary>
    public TimeSpan RejoinGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks every value; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (HeartbeatInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, "The heartbeat interval must be positive.");
        if (JoinWithin <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(JoinWithin), JoinWithin, "The time to join the cluster must be positive.");
        if (RejoinGrace <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RejoinGrace), RejoinGrace, "The rejoin grace must be positive.");
    }
}
