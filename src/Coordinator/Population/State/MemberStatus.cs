namespace HyperSwarm.Coordinator.Population;

/// <summary>Where a member is in its life. Only <see cref="Running"/> members hold a device slot.</summary>
public enum MemberStatus
{
    /// <summary>Waiting for a free slot (never started, or its worker was lost).</summary>
    Pending,

    /// <summary>Assigned to one slot of one worker under its current fencing epoch.</summary>
    Running,

    /// <summary>Reached the configured total steps; its slot is free.</summary>
    Finished,

    /// <summary>Failed or diverged more often in a row than the restart budget allows; its slot is free.</summary>
    Failed,
}
