namespace HyperSwarm.Coordinator.Membership;

/// <summary>Where a worker stands, as shown in health snapshots and telemetry.</summary>
public enum WorkerState
{
    /// <summary>Holds a valid lease and heartbeats on time.</summary>
    Up,
    /// <summary>Holds a valid lease but its φ has passed the suspect level: heartbeats are late.</summary>
    Suspect,
    /// <summary>Declared down (φ over the threshold or lease expired); must rejoin.</summary>
    Down,
    /// <summary>Left on purpose after draining; must rejoin to come back.</summary>
    Left,
}
