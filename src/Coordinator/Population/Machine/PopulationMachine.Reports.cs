namespace HyperSwarm.Coordinator.Population;

// What workers tell the coordinator about a member: reports, checkpoint notices, failures,
// divergence, completion. Each passes the fence first (docs/population.md, "Fencing").
public sealed partial class PopulationMachine
{
    private void OnMemberReported(MemberReported e)
    {
        if (Admit(e.MemberId, e.WorkerId, e.Epoch, "report") is not { } member) return;
        // A member reports NaN validation figures until its first validation (docs/worker.md):
        // that is no divergence, only nothing to rank it by yet; it keeps its previous report.
        var validated = !(double.IsNaN(e.ValidationLoss) && double.IsNaN(e.ValidationAccuracy));
        if (!double.IsFinite(e.TrainLoss) || (validated && !double.IsFinite(e.ValidationLoss)))
        {
            Diverge(member, $"loss not finite at step {e.Step} (train {e.TrainLoss}, validation {e.ValidationLoss})");
            return;
        }
        var good = member.Checkpoint is { } c && c.Step <= e.Step ? member.Checkpoint : member.GoodCheckpoint;
        // A restart budget is given back once the member has trained a ready interval past it.
        var progressed = e.Step - member.RestartStep >= _options.ReadySteps;
        member = member with
        {
            Step = e.Step,
            LastReport = validated ? new LossReport(e.Step, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy, e.Now) : member.LastReport,
            ReportedSinceChange = validated || member.ReportedSinceChange,
            LastFiniteStep = e.Step,
            GoodCheckpoint = good,
            Hyperparameters = e.Hyperparameters ?? member.Hyperparameters,
            Restarts = progressed ? 0 : member.Restarts,
        };
        Put(member);
        if (e.Step >= _options.TotalSteps) Finish(member, $"reached {_options.TotalSteps} steps", stopWorker: true);
    }

    private void OnCheckpointWritten(CheckpointWritten e)
    {
        var checkpoint = e.Checkpoint;
        var member = FindMember(checkpoint.MemberId);
        // Fenced by worker: only the worker that holds (or last held) the member may update it;
        // and by epoch when the notice carries one (see CheckpointWritten).
        if (member is null || member.Slot?.WorkerId != e.WorkerId)
        {
            Refuse(EventKinds.CheckpointRefused, checkpoint.MemberId, member, e.WorkerId, $"checkpoint step {checkpoint.Step}");
            return;
        }
        if (e.Epoch is { } epoch && epoch != member.Epoch)
        {
            Log(EventKinds.CheckpointRefused, member.Id, e.WorkerId, $"checkpoint step {checkpoint.Step}: epoch {epoch}, current is {member.Epoch}");
            return;
        }
        member = member with
        {
            Step = Math.Max(member.Step, checkpoint.Step),
            Checkpoint = checkpoint,
            GoodCheckpoint = checkpoint.Step <= member.LastFiniteStep ? checkpoint : member.GoodCheckpoint,
        };
        Put(member);
        if (member.Status == MemberStatus.Running && member.MoveRequested) MoveAtCheckpoint(member, checkpoint);
    }

    private void OnMemberDiverged(MemberDiverged e)
    {
        if (Admit(e.MemberId, e.WorkerId, e.Epoch, "divergence notice") is not { } member) return;
        Diverge(member, $"{e.Reason} at step {e.Step}");
    }

    private void OnMemberFailed(MemberFailed e)
    {
        if (Admit(e.MemberId, e.WorkerId, e.Epoch, "failure notice") is not { } member) return;
        Restart(member, e.Reason, diverged: false);
    }

    private void OnMemberFinished(MemberFinished e)
    {
        if (Admit(e.MemberId, e.WorkerId, e.Epoch, "completion notice") is not { } member) return;
        // The worker stopped the member itself; it needs no stop command.
        Finish(member with { Step = Math.Max(member.Step, e.Step) }, $"finished at step {e.Step}", stopWorker: false);
    }

    // The fence: a message about a member counts only if it comes from the worker that holds
    // the member now, under the member's current epoch. Anything else comes from an assignment
    // that was replaced (a lost or partitioned worker, a move, a restart) and must not touch the
    // population; a worker that does not hold the member is also told to stop it.
    private PopulationMember? Admit(string memberId, string workerId, long epoch, string what)
    {
        var member = FindMember(memberId);
        if (member is null || member.Status != MemberStatus.Running || member.Slot!.WorkerId != workerId)
        {
            Refuse(EventKinds.ReportRefused, memberId, member, workerId, $"{what} under epoch {epoch}");
            return null;
        }
        if (epoch != member.Epoch)
        {
            // Same worker, other epoch: a message sent before a restart or a move back. The
            // worker's current run of the member is legitimate, so no stop.
            var why = epoch < member.Epoch ? "stale" : "unknown";
            Log(EventKinds.ReportRefused, memberId, workerId, $"{what}: {why} epoch {epoch}, current is {member.Epoch}");
            return null;
        }
        return member;
    }

    private void Refuse(string kind, string memberId, PopulationMember? member, string workerId, string what)
    {
        if (member is null)
        {
            Log(kind, memberId, workerId, $"{what}: no such member");
            return;
        }
        var holder = member.Status == MemberStatus.Running ? $"assigned to {member.Slot!.WorkerId} under epoch {member.Epoch}"
            : member.Status == MemberStatus.Pending ? "pending, assigned to no worker"
            : $"{member.Status.ToString().ToLowerInvariant()}";
        Log(kind, memberId, workerId, $"{what}: {memberId} is {holder}");
        // A worker that last held a member that has since finished or failed was stopped then.
        var stoppedAlready = member.IsTerminal && member.Slot?.WorkerId == workerId;
        if (!stoppedAlready) Emit(new StopMember(memberId, workerId, $"fenced: {memberId} is {holder}"));
    }
}
