using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>What a <see cref="MemberActor"/> tells its owner, in the order it happened, through a channel.</summary>
public abstract record MemberEvent(string MemberId)
{
    /// <summary>
    /// Training began at weight step <paramref name="Step"/> on the member's own thread <paramref name="ManagedThreadId"/>
    /// (every later step runs there too);
    /// <paramref name="Unusable"/> is set when the checkpoint to resume from was corrupt and an older one was used.
    /// </summary>
    public sealed record Started(string MemberId, long Step, int ManagedThreadId, CheckpointException? Unusable = null) : MemberEvent(MemberId);

    /// <summary>
    /// A progress report, ready for the wire but for <see cref="MemberReport.Epoch"/>: the
    /// member's assignment epoch (from <c>StartMember</c>) is the owner's to stamp.
    /// </summary>
    public sealed record Reported(string MemberId, MemberReport Report) : MemberEvent(MemberId);

    /// <summary>A checkpoint was written (periodic, on demand, at a stop or at the end).</summary>
    public sealed record Checkpointed(string MemberId, CheckpointRef Checkpoint) : MemberEvent(MemberId);

    /// <summary>A non-finite loss was repaired from the last checkpoint; the member wants re-exploring.</summary>
    public sealed record Diverged(string MemberId, MemberDivergence Divergence) : MemberEvent(MemberId);

    /// <summary>A command failed and changed nothing; training goes on. <paramref name="Decision"/> is the coordinator's (0 for a command without one).</summary>
    public sealed record CommandFailed(string MemberId, string Command, Exception Error, long Decision = 0) : MemberEvent(MemberId);

    /// <summary>
    /// Training is over: <paramref name="Result"/> when it stopped or reached its limit
    /// (<see cref="TrainingResult.StoppedBy"/> says which), <paramref name="Error"/> when it failed.
    /// The actor has freed its run and its tensors, and stops (its pinned thread goes with it).
    /// Always the member's last event.
    /// </summary>
    public sealed record Ended(string MemberId, TrainingResult? Result, Exception? Error) : MemberEvent(MemberId);
}
