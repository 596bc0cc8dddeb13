namespace HyperSwarm.Coordinator.Membership;

/// <summary>The registry's mutable record of one worker's latest lease.</summary>
internal sealed class WorkerEntry(WorkerLease lease, TimeSpan joinDeadline)
{
    public WorkerLease Lease { get; } = lease;

    /// <summary>Monotonic instant by which the node must be a cluster member, or the lease expires.</summary>
    public TimeSpan JoinDeadline { get; } = joinDeadline;

    /// <summary>True once Akka reported the node up (a member of the cluster).</summary>
    public bool InCluster { get; set; }

    /// <summary>True while Akka's failure detector finds the node unreachable.</summary>
    public bool Unreachable { get; set; }

    /// <summary>Null while the lease is live; why it ended otherwise.</summary>
    public DownReason? Ended { get; set; }
}
