using Akka.Actor;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>What a worker node knows about one of its members; guarded by the node's lock.</summary>
internal sealed class MemberEntry(string memberId, string device, long epoch, IActorRef actor, Task terminated)
{
    public string MemberId => memberId;

    /// <summary>The assignment epoch of <c>StartMember</c>, echoed in every report (the coordinator fences reports by it).</summary>
    public long Epoch => epoch;

    public string Device => device;

    /// <summary>The <see cref="MemberActor"/>; tell it <see cref="MemberMessage"/>s.</summary>
    public IActorRef Actor => actor;

    /// <summary>Completes once the actor has stopped (after its last event).</summary>
    public Task Terminated => terminated;

    public MemberState State { get; set; } = MemberState.Pending;

    public long Step { get; set; }

    /// <summary>The latest report, stamped with <see cref="Epoch"/>; resent after a rejoin.</summary>
    public MemberReport? LatestReport { get; set; }

    /// <summary>Told to stop; a <c>StartMember</c> for it waits for the end instead of being refused.</summary>
    public bool Stopping { get; set; }

    public CheckpointRef? LastCheckpoint { get; set; }

    /// <summary>The member this one last exploited, for the lineage.</summary>
    public string ParentMemberId { get; set; } = string.Empty;

    /// <summary>It ended while no session was up: its last checkpoint notice goes out on the next one.</summary>
    public bool FinalNoticeOwed { get; set; }

    /// <summary>How it ended on its own (finished or failed), not yet sent to the coordinator; null when told to stop, or once sent.</summary>
    public MemberEnded? EndNotice { get; set; }

    /// <summary>Completes once the node has handled the member's last event.</summary>
    public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsActive => State is MemberState.Pending or MemberState.Running;

    public Member ToMember(string workerId)
    {
        var member = new Member
        {
            MemberId = memberId,
            State = State,
            WorkerId = workerId,
            Step = Step,
            ValidationLoss = LatestReport?.ValidationLoss ?? double.NaN,
            ValidationAccuracy = LatestReport?.ValidationAccuracy ?? double.NaN,
            ParentMemberId = ParentMemberId,
        };
        if (LatestReport?.Hyperparameters is { } hyperparameters) member.Hyperparameters = hyperparameters;
        if (LastCheckpoint is { } checkpoint) member.LastCheckpoint = checkpoint;
        return member;
    }
}
