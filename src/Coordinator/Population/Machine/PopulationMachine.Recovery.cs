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

    // The run's clock is the coordinator's alone (members never stop by the clock): on the first
    // tick past the budget every member is finished, running ones stopped with a checkpoint, and
    // the run completes with the best so far. Ticks come every selection interval, so the run
    // ends at most one interval late.
    private bool EndIfBudgetSpent()
    {
        if (_options.Budget is not { } budget || _state.StartedAt is not { } started || _now < started + budget) return false;
        var reason = $"the run's budget of {Describe(budget)} is spent";
        // Pending members first: finishing a running one frees a slot a pending one would take.
        foreach (var member in _state.Members.Values.Where(m => m.Status == MemberStatus.Pending).ToList())
        {
            Put(member with { Status = MemberStatus.Finished, MoveRequested = false });
            Log(EventKinds.MemberFinished, member.Id, null, $"{reason}; it never found a free slot");
        }
        foreach (var member in _state.Members.Values.Where(m => m.Status == MemberStatus.Running).ToList())
        {
            Finish(member, reason, stopWorker: true);
        }
        CheckCompletion();
        return true;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:G6} min" : $"{span.TotalSeconds:G6} s";

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
