using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Population;

// Creating members and putting them on device slots: start-up, worker join and loss, pending
// members, and moves at checkpoint boundaries (docs/population.md, "Allocation" and "Fencing").
public sealed partial class PopulationMachine
{
    private void OnRunStarted()
    {
        if (_state.Started) throw new InvalidOperationException("the run has already started.");
        _state = _state with { Started = true, StartedAt = _now };
        Log(EventKinds.RunStarted, null, null, $"{_options.Size} members, {_state.Workers.Count} workers");

        var initial = new HyperparameterSet([.. _options.Space.Select(r => r.ToValue())], [], 0);
        var created = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _options.Size; i++)
        {
            // Member 0 starts from the configured values; the others from explored copies, so
            // the population covers more of the space from the first step (PBT's random start).
            var hyperparameters = i == 0 ? initial : Explorer.Explore(initial, _options, _random, 0);
            var member = new PopulationMember { Id = _options.MemberId(i), Hyperparameters = hyperparameters };
            Put(member);
            created.Add(member.Id);
            var origin = i == 0 ? "configured initial values" : "explored from the initial values";
            Log(EventKinds.MemberCreated, member.Id, null, $"{origin}: {hyperparameters.Describe()}");
        }
        PlacePending(created);
    }

    private void OnWorkerJoined(WorkerJoined e)
    {
        var fenced = new HashSet<string>(StringComparer.Ordinal);
        if (_state.Workers.ContainsKey(e.WorkerId))
        {
            // Its old lease is gone (the worker restarted or joined again): whatever it still
            // runs belongs to an epoch we no longer trust. Stop it there; placement below may
            // start the same members again, on any worker, under new epochs.
            fenced = Evict(e.WorkerId, $"{e.WorkerId} rejoined: its previous lease is fenced", reachable: true);
            Log(EventKinds.WorkerRejoined, null, e.WorkerId, $"previous lease fenced, {Count(fenced.Count, "member")} to reallocate");
        }
        var worker = new WorkerSlots(e.WorkerId, e.Address, e.Devices, e.Now);
        _state = _state with { Workers = _state.Workers.SetItem(worker.Id, worker) };
        Log(EventKinds.WorkerJoined, null, worker.Id, $"{Count(worker.Capacity, "slot")} ({string.Join(", ", worker.Devices)})");
        PlacePending(fenced);
        RequestRebalance(worker.Id);
    }

    private void OnWorkerLost(WorkerLost e)
    {
        if (!_state.Workers.ContainsKey(e.WorkerId)) return; // already gone: the detector may repeat itself
        var orphans = Evict(e.WorkerId, e.Reason, reachable: false);
        _state = _state with { Workers = _state.Workers.Remove(e.WorkerId) };
        Log(EventKinds.WorkerLost, null, e.WorkerId, $"{e.Reason}; {Count(orphans.Count, "member")} to reallocate");
        PlacePending(orphans);
    }

    // The worker's running members become pending, keeping their epoch: the next assignment
    // raises it, which fences any report the old worker still sends. A lost worker cannot be
    // told anything; a rejoined one is told to stop.
    private HashSet<string> Evict(string workerId, string reason, bool reachable)
    {
        var evicted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in _state.Members.Values.Where(m => m.Status == MemberStatus.Running && m.Slot!.WorkerId == workerId))
        {
            if (reachable) Emit(new StopMember(member.Id, workerId, reason));
            Put(member with { Status = MemberStatus.Pending, Slot = null, MoveRequested = false });
            evicted.Add(member.Id);
        }
        return evicted;
    }

    // Pending members take free slots in id order, each on the least-loaded worker. Members in
    // newlyPending that find none are logged as waiting; older waiters were logged already.
    private void PlacePending(IReadOnlySet<string> newlyPending)
    {
        var map = BuildSlotMap();
        foreach (var member in _state.Members.Values.Where(m => m.Status == MemberStatus.Pending).ToList())
        {
            var slot = Allocator.PickFreeSlot(map);
            if (slot is null)
            {
                if (newlyPending.Contains(member.Id))
                    Log(EventKinds.MemberWaiting, member.Id, null, $"no free slot ({Count(map.Workers.Sum(w => w.Capacity), "slot")}, all busy)");
                continue;
            }
            map.Occupy(member.Id, slot);
            var reason = member.Checkpoint is { } c
                ? $"least-loaded free slot {slot}, resumes from checkpoint step {c.Step}"
                : member.Epoch == 0 ? $"least-loaded free slot {slot}" : $"least-loaded free slot {slot}, from scratch (no checkpoint)";
            Start(Rewind(member), slot, member.Checkpoint, member.Hyperparameters, EventKinds.MemberStarted, reason);
        }
    }

    // A member that lost its worker continues from its checkpoint's step. Without a checkpoint
    // it starts over with new weights, which its old loss no longer describes: it leaves the
    // ranking until it reports again.
    private static PopulationMember Rewind(PopulationMember member)
    {
        if (member.Checkpoint is { } c) return member with { Step = c.Step };
        return member with { Step = 0, LastReport = null, ReportedSinceChange = false, ChangeStep = 0, LastFiniteStep = 0 };
    }

    // Every (re)assignment raises the epoch: the worker puts it in each report, and a report
    // under any other epoch is refused, so at most one assignment of a member is ever believed.
    private PopulationMember Start(PopulationMember member, SlotRef slot, CheckpointReference? resume, HyperparameterSet hyperparameters, string kind, string reason)
    {
        // A change still pending is settled: the new start carries the record's values.
        var started = member with { Status = MemberStatus.Running, Slot = slot, Epoch = member.Epoch + 1, Hyperparameters = hyperparameters, Change = null };
        Put(started);
        var window = _options.Budget is { } budget && _state.StartedAt is { } at ? new RunWindow(budget, at + budget) : null;
        Emit(new StartMember(started.Id, slot.WorkerId, slot.Index, slot.Device, started.Epoch, hyperparameters, resume) { Window = window });
        Log(kind, started.Id, slot.WorkerId, $"epoch {started.Epoch}: {reason}");
        return started;
    }

    // A worker joined and pending members were placed; if others are still fuller than it,
    // members move to it, but only at a checkpoint boundary, so no training is lost: ask for a
    // checkpoint now and move when it is written (OnCheckpointWritten).
    private void RequestRebalance(string joinedWorkerId)
    {
        var map = BuildSlotMap();
        var moving = _state.Members.Values.Where(m => m.MoveRequested).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in Allocator.PlanMoves(map, moving))
        {
            var member = Member(id);
            var from = member.Slot!.WorkerId;
            Put(member with { MoveRequested = true });
            Emit(new CheckpointNow(id, from));
            Log(EventKinds.RebalanceRequested, id, from,
                $"{joinedWorkerId} joined; {from} holds {map.Load(from)}/{map.Capacity(from)} slots: moves at its next checkpoint");
        }
    }

    private void MoveAtCheckpoint(PopulationMember member, CheckpointReference checkpoint)
    {
        var from = member.Slot!.WorkerId;
        member = member with { MoveRequested = false };
        Put(member);
        var target = Allocator.MoveTarget(BuildSlotMap(), from);
        if (target is null)
        {
            Log(EventKinds.RebalanceDropped, member.Id, from, "no worker is enough less loaded any more");
            return;
        }
        // Stop first: the old worker is told before the new one starts, and the new epoch fences
        // whatever the old one still sends.
        Emit(new StopMember(member.Id, from, $"moves to {target.WorkerId} at checkpoint step {checkpoint.Step}"));
        Start(member with { Step = checkpoint.Step }, target, checkpoint, member.Hyperparameters, EventKinds.MemberMoved,
            $"from {from} to {target} at checkpoint step {checkpoint.Step}");
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
