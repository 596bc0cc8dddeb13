using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Everything the coordinator knows about one member. Immutable: the machine replaces it on
/// every change, which keeps snapshots and replay simple.
/// </summary>
public sealed record PopulationMember
{
    /// <summary>The member id (m00, m01, …).</summary>
    public required string Id { get; init; }

    /// <summary>Where the member is in its life.</summary>
    public MemberStatus Status { get; init; } = MemberStatus.Pending;

    /// <summary>
    /// The slot it trains in while <see cref="MemberStatus.Running"/>; after it finished or failed,
    /// the slot it last had (so its last worker's final checkpoint notice is still accepted).
    /// Null while pending.
    /// </summary>
    public SlotRef? Slot { get; init; }

    /// <summary>Fencing epoch of the current assignment; it grows on every (re)assignment, 0 before the first.</summary>
    public long Epoch { get; init; }

    /// <summary>Training step as last reported (it moves back when the member resumes from an older checkpoint).</summary>
    public long Step { get; init; }

    /// <summary>The last finite report; null before the first and after a divergence, so the member is not ranked.</summary>
    public LossReport? LastReport { get; init; }

    /// <summary>Whether <see cref="LastReport"/> came after the last exchange, exploit or restore.</summary>
    public bool ReportedSinceChange { get; init; }

    /// <summary>Step of the last exchange, exploit or restore: readiness counts from here.</summary>
    public long ChangeStep { get; init; }

    /// <summary>Ready rounds in a row this member spent in the bottom quantile (reset by an exploit or a round outside it).</summary>
    public int BehindRounds { get; init; }

    /// <summary>Current hyperparameters: as last reported, or as last sent by the coordinator.</summary>
    public required HyperparameterSet Hyperparameters { get; init; }

    /// <summary>The newest checkpoint: where the member resumes after a worker loss or a move, and what it offers as an exploit source.</summary>
    public CheckpointReference? Checkpoint { get; init; }

    /// <summary>The newest checkpoint taken no later than a finite report: what a diverged member restores.</summary>
    public CheckpointReference? GoodCheckpoint { get; init; }

    /// <summary>Step of the last finite report (or of the state the member last resumed from).</summary>
    public long LastFiniteStep { get; init; }

    /// <summary>Waiting for its next checkpoint to move to a less loaded worker.</summary>
    public bool MoveRequested { get; init; }

    /// <summary>Restarts since the member last made <see cref="PopulationOptions.ReadySteps"/> of progress.</summary>
    public int Restarts { get; init; }

    /// <summary>Step the last restart resumed from.</summary>
    public long RestartStep { get; init; }

    /// <summary>The member whose weights this one last took in an exploit, for the lineage tree.</summary>
    public string? ParentId { get; init; }

    /// <summary>The exchange or exploit sent to the worker and not known to have failed: what to put back if it does.</summary>
    public PendingChange? Change { get; init; }

    /// <summary>
    /// <see cref="Checkpoint"/> when the member wrote it itself, which is what it offers as an
    /// exploit source. Right after an exploit its checkpoint is the source's file: resuming from
    /// it is right, but handing it on would pass off the source's weights as this member's.
    /// </summary>
    public CheckpointReference? OwnCheckpoint => Checkpoint is { } c && c.MemberId == Id ? c : null;

    /// <summary>Whether the member is done (finished or failed) and takes no more work.</summary>
    public bool IsTerminal => Status is MemberStatus.Finished or MemberStatus.Failed;
}
