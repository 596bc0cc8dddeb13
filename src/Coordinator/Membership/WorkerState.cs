namespace HyperSwarm.Coordinator.Membership;

/// <summary>Where a worker stands, as shown in health snapshots and telemetry.</summary>
public enum WorkerState
{
    /// <summary>Holds a lease; its node has not become a member of the Akka cluster yet.</summary>
    Joining,
    /// <summary>Holds a lease and its node is a reachable cluster member.</summary>
    Up,
    /// <summary>Holds a lease but Akka's failure detector finds its node unreachable: the split-brain resolver decides next.</summary>
    Unreachable,
    /// <summary>Its node was downed or removed, or never joined; it must join again.</summary>
    Down,
    /// <summary>Left on purpose after draining; must join again to come back.</summary>
    Left,
}
