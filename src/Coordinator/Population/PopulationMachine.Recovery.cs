namespace HyperSwarm.Coordinator.Population;

// Members that go wrong (divergence, failure) and members that are done (finish, run
// completion) (docs/population.md, "Divergence" and "Completion").
public sealed partial class PopulationMachine
{
    private void Diverge(PopulationMember member, string reason)
    {
        Log(EventKinds.MemberDiverged, member.Id, member.Slot!.WorkerId, reason);
        Restart(member, reason, diverged: true);
    }

    // Restarts the member in its own slot under a new epoch, so nothing the old run still sends
    // is believed. A diverged member goes back to its last good checkpoint (one taken no later
    // than a finite report) with re-explored hyperparameters, and leaves the ranking until it
    // reports a finite loss again. A failed one resumes from its newest checkpoint as it was.
    private void Restart(PopulationMember member, string reason, bool diverged)
    {
        if (member.Restarts >= _options.MaxRestarts)
        {
            Fail(member, $"{reason}; {Count(member.Restarts, "restart")} without progress, the budget is {_options.MaxRestarts}");
            return;
        }
        var resume = diverged ? member.GoodCheckpoint : member.Checkpoint;
        var resumeStep = resume?.Step ?? 0;
        var from = resume is null ? "from scratch (no checkpoint)" : $"from checkpoint step {resumeStep}";
        var restarted = member with { Restarts = member.Restarts + 1, RestartStep = resumeStep, Step = resumeStep };
        if (diverged)
        {
            var explored = Explorer.Explore(member.Hyperparameters, _options, _random, resumeStep);
            restarted = restarted with
            {
                LastReport = null,
                ReportedSinceChange = false,
                ChangeStep = resumeStep,
                BehindRounds = 0,
                LastFiniteStep = resumeStep,
                Checkpoint = resume,
                GoodCheckpoint = resume,
            };
            from += $", hyperparameters re-explored: {explored.DescribeChange(member.Hyperparameters)}";
            Emit(new StopMember(member.Id, member.Slot!.WorkerId, $"diverged: {reason}"));
            Start(restarted, member.Slot, resume, explored, EventKinds.MemberRestored, $"restored {from}");
            return;
        }
        Emit(new StopMember(member.Id, member.Slot!.WorkerId, $"failed: {reason}"));
        Start(restarted, member.Slot, resume, member.Hyperparameters, EventKinds.MemberRestarted, $"{reason}; restarted {from}");
    }

    private void Fail(PopulationMember member, string reason)
    {
        Emit(new StopMember(member.Id, member.Slot!.WorkerId, $"failed: {reason}"));
        Put(member with { Status = MemberStatus.Failed, MoveRequested = false });
        Log(EventKinds.MemberFailed, member.Id, member.Slot!.WorkerId, reason);
        PlacePending(new HashSet<string>());
        CheckCompletion();
    }

    private void Finish(PopulationMember member, string reason, bool stopWorker)
    {
        var workerId = member.Slot!.WorkerId;
        if (stopWorker) Emit(new StopMember(member.Id, workerId, reason));
        Put(member with { Status = MemberStatus.Finished, MoveRequested = false });
        var loss = member.LastReport is { } r ? $", validation loss {r.ValidationLoss:G4}" : "";
        Log(EventKinds.MemberFinished, member.Id, workerId, reason + loss);
        PlacePending(new HashSet<string>());
        CheckCompletion();
    }

    private void CheckCompletion()
    {
        if (_state.Completed || !_state.Members.Values.All(m => m.IsTerminal)) return;
        _state = _state with { Completed = true };
        var best = _state.Best();
        Log(EventKinds.RunCompleted, best?.Id, null, best?.LastReport is { } r
            ? $"best is {best.Id}: validation loss {r.ValidationLoss:G4}, accuracy {r.ValidationAccuracy:G4} at step {r.Step}"
            : "no member finished with a finite loss");
    }
}
