using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>
/// The cluster as the commands leave it: which worker trains which member in which slot. It
/// fails the moment a command would have a member trained by two workers at once, or two
/// members share a slot, which is the guarantee fencing exists for (DESIGN.md §5).
/// </summary>
internal sealed class AssignmentWorld
{
    private readonly Dictionary<string, (string Worker, int Slot, long Epoch)> _running = new(StringComparer.Ordinal);

    /// <summary>Applies <paramref name="input"/> to <paramref name="machine"/> and checks its output against the world.</summary>
    public PopulationOutput Apply(PopulationMachine machine, PopulationInput input)
    {
        // A lost worker is gone from the coordinator's point of view: whatever it still runs is
        // fenced by epoch, so it no longer counts as an assignment.
        if (input is WorkerLost lost) Forget(lost.WorkerId);
        var output = machine.Apply(input);
        if (input is MemberFinished finished
            && machine.State.Members.TryGetValue(finished.MemberId, out var member)
            && member.Status == MemberStatus.Finished
            && _running.TryGetValue(finished.MemberId, out var at) && at.Worker == finished.WorkerId && at.Epoch == finished.Epoch)
        {
            _running.Remove(finished.MemberId); // the worker stopped it by itself, before anything else was sent
        }
        foreach (var command in output.Commands) Observe(command);
        return output;
    }

    /// <summary>The worker and slot each member trains in.</summary>
    public IReadOnlyDictionary<string, (string Worker, int Slot, long Epoch)> Running => _running;

    private void Observe(PopulationCommand command)
    {
        switch (command)
        {
            case StartMember start:
                if (_running.TryGetValue(start.MemberId, out var other))
                    throw new InvalidOperationException($"{start.MemberId} started on {start.WorkerId} while {other.Worker} still trains it.");
                var sharing = _running.FirstOrDefault(r => r.Value.Worker == start.WorkerId && r.Value.Slot == start.Slot);
                if (sharing.Key is not null)
                    throw new InvalidOperationException($"{start.MemberId} started in {start.WorkerId}/{start.Slot}, which {sharing.Key} holds.");
                _running[start.MemberId] = (start.WorkerId, start.Slot, start.Epoch);
                break;
            case StopMember stop:
                if (_running.TryGetValue(stop.MemberId, out var at) && at.Worker == stop.WorkerId) _running.Remove(stop.MemberId);
                break;
            case ExchangeHyperparameters or ExploitCheckpoint or CheckpointNow:
                if (!_running.TryGetValue(command.MemberId, out var target) || target.Worker != command.WorkerId)
                    throw new InvalidOperationException($"{command.GetType().Name} for {command.MemberId} sent to {command.WorkerId}, which does not train it.");
                break;
        }
    }

    private void Forget(string workerId)
    {
        foreach (var member in _running.Where(r => r.Value.Worker == workerId).Select(r => r.Key).ToList()) _running.Remove(member);
    }
}
