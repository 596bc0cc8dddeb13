namespace HyperSwarm.Coordinator.Population;

/// <summary>The machine-readable kinds of <see cref="EventLogEntry"/> (population.proto <c>PopulationEvent.kind</c>).</summary>
public static class EventKinds
{
    /// <summary>The population was created.</summary>
    public const string RunStarted = "run_started";

    /// <summary>A member was created with its initial hyperparameters.</summary>
    public const string MemberCreated = "member_created";

    /// <summary>A worker joined with its slots.</summary>
    public const string WorkerJoined = "worker_joined";

    /// <summary>A worker was declared lost.</summary>
    public const string WorkerLost = "worker_lost";

    /// <summary>A known worker joined again: its old session is fenced and its members are placed anew.</summary>
    public const string WorkerRejoined = "worker_rejoined";

    /// <summary>A member was assigned to a slot under a new epoch.</summary>
    public const string MemberStarted = "member_started";

    /// <summary>A member has no slot and waits for one.</summary>
    public const string MemberWaiting = "member_waiting";

    /// <summary>A member was asked to checkpoint so it can move to a less loaded worker.</summary>
    public const string RebalanceRequested = "rebalance_requested";

    /// <summary>A member moved at a checkpoint boundary.</summary>
    public const string MemberMoved = "member_moved";

    /// <summary>A requested move no longer improved the balance when the checkpoint came.</summary>
    public const string RebalanceDropped = "rebalance_dropped";

    /// <summary>A selection round ranked the population.</summary>
    public const string Ranked = "ranked";

    /// <summary>Hyperparameter-only exchange.</summary>
    public const string Exchange = "exchange";

    /// <summary>Weight exploit from a checkpoint, then explore.</summary>
    public const string Exploit = "exploit";

    /// <summary>An exchange its worker could not carry out: the member's record is put back as it was.</summary>
    public const string ExchangeFailed = "exchange_failed";

    /// <summary>An exploit its worker could not carry out (the source checkpoint unreadable, say): the member keeps its weights and hyperparameters.</summary>
    public const string ExploitFailed = "exploit_failed";

    /// <summary>A weak member had nothing to copy from its partner.</summary>
    public const string SelectionSkipped = "selection_skipped";

    /// <summary>A report came from the wrong worker, with a stale epoch, or for a member that is not running.</summary>
    public const string ReportRefused = "report_refused";

    /// <summary>A checkpoint notice came from a worker that does not hold the member.</summary>
    public const string CheckpointRefused = "checkpoint_refused";

    /// <summary>A member's loss went NaN or infinite.</summary>
    public const string MemberDiverged = "member_diverged";

    /// <summary>A diverged member restarted from its last good checkpoint with re-explored hyperparameters.</summary>
    public const string MemberRestored = "member_restored";

    /// <summary>A member whose worker reported a failure restarted from its last checkpoint.</summary>
    public const string MemberRestarted = "member_restarted";

    /// <summary>A member used up its restart budget and stopped for good.</summary>
    public const string MemberFailed = "member_failed";

    /// <summary>A member reached the total step count.</summary>
    public const string MemberFinished = "member_finished";

    /// <summary>Every member finished or failed; names the best member.</summary>
    public const string RunCompleted = "run_completed";
}
