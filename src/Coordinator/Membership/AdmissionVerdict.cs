namespace HyperSwarm.Coordinator.Membership;

/// <summary>Whether a worker's message may enter the population, and if not, why.</summary>
public enum AdmissionVerdict
{
    /// <summary>The worker holds a live lease with exactly this epoch.</summary>
    Accepted,
    /// <summary>No lease was ever issued to this worker id by this registry (e.g. after a coordinator restart).</summary>
    UnknownWorker,
    /// <summary>The message carries an epoch older than the worker's current lease: it comes from a fenced incarnation.</summary>
    StaleEpoch,
    /// <summary>The message carries an epoch this worker was never given.</summary>
    FutureEpoch,
    /// <summary>The worker's node did not become a cluster member in time.</summary>
    LeaseExpired,
    /// <summary>The worker's node was downed or removed from the cluster.</summary>
    DeclaredDown,
    /// <summary>The worker left after draining.</summary>
    Left,
}
