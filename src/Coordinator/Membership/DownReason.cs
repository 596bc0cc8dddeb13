namespace HyperSwarm.Coordinator.Membership;

/// <summary>Why a lease stopped being valid.</summary>
public enum DownReason
{
    /// <summary>Akka's failure detector found the worker's node unreachable and the split-brain resolver downed it.</summary>
    Unreachable,
    /// <summary>The worker's node left the cluster, or was removed from it, without draining first.</summary>
    Removed,
    /// <summary>The worker joined (gRPC) but its node did not become a member of the Akka cluster in time.</summary>
    LeaseExpired,
    /// <summary>The worker left after draining.</summary>
    Left,
    /// <summary>The same worker joined again (it restarted): its old lease and members are gone.</summary>
    Superseded,
}
