using HyperSwarm.Coordinator.Sharding;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The population brain: a pure state machine in the manner of etcd's raft (STYLE.md §3.1).
/// <see cref="Apply"/> takes one event and returns the commands to send and the event-log
/// entries to append; it does no I/O, reads no clock (time comes with the event) and draws only
/// from the injected <see cref="IRandom"/>, whose state is part of <see cref="State"/>. So
/// applying the same events to the same state always gives the same state and output, which is
/// what lets the store rebuild the population by replaying its log.
/// </summary>
/// <remarks>Not thread-safe: the coordinator applies events one at a time, in log order.</remarks>
public sealed partial class PopulationMachine
{
    private readonly PopulationOptions _options;
    private readonly IRandom _random;
    private PopulationState _state;

    // Output of the event being applied.
    private readonly List<PopulationCommand> _commands = [];
    private readonly List<EventLogEntry> _log = [];
    private DateTimeOffset _now;

    /// <summary>A machine for a new run; <see cref="RunStarted"/> creates the members.</summary>
    public PopulationMachine(PopulationOptions options, IRandom random)
        : this(options, random, new PopulationState { RandomState = random?.State ?? 0 })
    {
    }

    private PopulationMachine(PopulationOptions options, IRandom random, PopulationState state)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _options = options;
        _random = random;
        _state = state;
        _ = BuildSlotMap(); // a snapshot with two members in one slot is refused here, not later
    }

    /// <summary>
    /// A machine that continues from a snapshot, drawing from <see cref="SplitMix64"/> at the
    /// snapshot's random state, so it decides exactly as the machine that took the snapshot would have.
    /// </summary>
    public static PopulationMachine Restore(PopulationOptions options, PopulationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new PopulationMachine(options, new SplitMix64(state.RandomState), state);
    }

    /// <summary>The current state (immutable; snapshot it with <see cref="PopulationJson"/>).</summary>
    public PopulationState State => _state;

    /// <summary>The options the machine runs with.</summary>
    public PopulationOptions Options => _options;

    /// <summary>Applies one event: updates <see cref="State"/> and returns what to send and what to log.</summary>
    public PopulationOutput Apply(PopulationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _commands.Clear();
        _log.Clear();
        _now = input.Now;
        switch (input)
        {
            case RunStarted: OnRunStarted(); break;
            case WorkerJoined e: OnWorkerJoined(e); break;
            case WorkerLost e: OnWorkerLost(e); break;
            case MemberReported e: OnMemberReported(e); break;
            case CheckpointWritten e: OnCheckpointWritten(e); break;
            case MemberDiverged e: OnMemberDiverged(e); break;
            case MemberFailed e: OnMemberFailed(e); break;
            case MemberFinished e: OnMemberFinished(e); break;
            case TimerTicked: OnTimerTicked(); break;
            case ChangeFailed e: OnChangeFailed(e); break;
            default: throw new ArgumentException($"the population machine does not handle {input.GetType().Name}.", nameof(input));
        }
        _state = _state with { RandomState = _random.State };
        return new PopulationOutput([.. _commands], [.. _log]);
    }

    private PopulationMember Member(string id) => _state.Members[id];

    private PopulationMember? FindMember(string id) => _state.Members.GetValueOrDefault(id);

    private void Put(PopulationMember member) =>
        _state = _state with { Members = _state.Members.SetItem(member.Id, member) };

    private void Emit(PopulationCommand command) => _commands.Add(command);

    private long Log(string kind, string? memberId, string? workerId, string reason)
    {
        var sequence = _state.Sequence + 1;
        _state = _state with { Sequence = sequence };
        _log.Add(new EventLogEntry(sequence, _now, kind, memberId, workerId, reason));
        return sequence;
    }

    // Occupancy is derived from the members every time rather than stored beside them, so the
    // two can never disagree; SlotMap throws if two running members claim one slot.
    private SlotMap BuildSlotMap()
    {
        var map = new SlotMap(_state.Workers.Values);
        foreach (var member in _state.Members.Values)
        {
            if (member.Status == MemberStatus.Running) map.Occupy(member.Id, member.Slot!);
        }
        return map;
    }
}
