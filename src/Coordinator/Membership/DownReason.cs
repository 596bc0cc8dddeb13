namespace HyperSwarm.Coordinator.Membership;

/// <summary>Why a lease stopped being valid.</summary>
public enum DownReason
{
    /// <summary>φ crossed the failure detector's threshold.</summary>
    PhiExceeded,
    /// <summary>No heartbeat renewed the lease within its TTL.</summary>
    LeaseExpired,
    /// <summary>The worker left after draining.</summary>
    Left,
    /// <summary>The same worker joined again (it restarted): its old lease and members are gone.</summary>
    Superseded,
}
