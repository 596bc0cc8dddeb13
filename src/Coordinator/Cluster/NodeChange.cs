namespace HyperSwarm.Coordinator.Cluster;

/// <summary>What Akka.Cluster said about a worker node, as the population actor acts on it.</summary>
internal enum NodeChange
{
    /// <summary>The node became a member (its lease no longer needs to reach the cluster).</summary>
    Up,
    /// <summary>The failure detector lost it; the split-brain resolver decides next.</summary>
    Unreachable,
    /// <summary>The failure detector hears it again.</summary>
    Reachable,
    /// <summary>Downed (by the split-brain resolver, or by an operator): its members move.</summary>
    Downed,
    /// <summary>Removed from the cluster; after a graceful leave this is the only sign.</summary>
    Removed,
}
