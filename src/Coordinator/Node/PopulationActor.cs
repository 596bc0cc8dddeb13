using HyperSwarm.Coordinator.Checkpoints;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Telemetry;
using Grpc.Core;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// The one owner of the population machine, the worker registry's leases and the store's log:
/// a single loop that takes inputs in arrival order (worker messages from the cluster gateway,
/// membership changes from Akka.Cluster, joins, timers). A turn applies every input waiting (up
/// to <see cref="CoordinatorNodeOptions.MaxInputsPerTurn"/>), writes the turn's rows in one
/// store transaction, and only then answers joins, sends commands to workers and tells watchers
/// (docs/coordinator.md, "The population actor").
/// </summary>
internal sealed partial class PopulationActor
{
    private readonly CoordinatorNodeOptions _options;
    private readonly IPopulationStore _store;
    private readonly PopulationMachine _machine;
    private readonly WorkerRegistry _registry;
    private readonly CoordinatorCluster _cluster;
    private readonly HyperSwarmTelemetry _telemetry;
    private readonly EventFeed _feed;
    private readonly CheckpointCollector? _collector;
    private readonly ILogger _logger;
    private readonly PopulationJournal _journal = new();
    private readonly Channel<NodeInput> _inbox = Channel.CreateUnbounded<NodeInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _room;
    private readonly ConcurrentDictionary<long, WorkerLink> _byEpoch = new();

    // Owned by the loop.
    private readonly Dictionary<string, WorkerLink> _current = new(StringComparer.Ordinal);
    private readonly HashSet<string> _awaitingRejoin = new(StringComparer.Ordinal);
    // Running members (by id and assignment epoch) missing from their worker's heartbeats, since when.
    private readonly Dictionary<(string Member, long Epoch), DateTimeOffset> _absentSince = [];
    private readonly long _startedAt;
    private readonly TaskCompletionSource<RunOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(PopulationCommand Command, long Decided)> _decided = [];
    private readonly List<(TaskCompletionSource<JoinResponse> Reply, JoinResponse Response)> _replies = [];
    private readonly List<CheckpointReference> _checkpoints = [];
    private readonly List<TaskCompletionSource> _departuresAwaited = [];
    private long _lastSequence;
    private long _rowsSinceSnapshot;
    private bool _selectionDue;
    private volatile PopulationView _view;

    public PopulationActor(CoordinatorNodeOptions options, PopulationMachine machine, WorkerRegistry registry, CoordinatorCluster cluster, HyperSwarmTelemetry telemetry, long lastSequence)
    {
        _options = options;
        _cluster = cluster;
        _store = options.Store;
        _machine = machine;
        _registry = registry;
        _telemetry = telemetry;
        _feed = new EventFeed(options.WatcherBacklog);
        _logger = options.LoggerFactory.CreateLogger<PopulationActor>();
        _room = new SemaphoreSlim(options.InboxCapacity, options.InboxCapacity);
        _collector = options.CollectCheckpoints
            ? new CheckpointCollector(_store, options.KeepCheckpointsPerMember, options.CheckpointGcInterval, options.Time, options.LoggerFactory)
            : null;
        _lastSequence = lastSequence;
        _view = new PopulationView(machine.State, lastSequence);
        _startedAt = options.Time.GetTimestamp();
        // Workers the restored population still counts on must join this node again; those
        // that do not within the rejoin grace are lost (OnSweep), so their members move on.
        _awaitingRejoin.UnionWith(machine.State.Workers.Keys);
    }

    public string RunId => _options.RunId;

    public PopulationView View => _view;

    public EventFeed Feed => _feed;

    public IPopulationStore Store => _store;

    public Task<RunOutcome> Completion => _completion.Task;

    /// <summary>The link of a lease, live or fenced; null for an epoch this node never issued.</summary>
    public WorkerLink? FindLink(long epoch) => _byEpoch.GetValueOrDefault(epoch);

    /// <summary>Queues a worker message, waiting while the inbox is full (the gateway then stops taking messages: backpressure).</summary>
    public async ValueTask PostAsync(WorkerInput input, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        if (!_inbox.Writer.TryWrite(input))
        {
            _room.Release();
            throw Stopping();
        }
    }

    /// <summary>Queues a join, a membership change or a timer input; false when the node is stopping.</summary>
    public bool Post(NodeInput input) => _inbox.Writer.TryWrite(input);

    /// <summary>Completes once no worker told to drain still owes its departure (its final checkpoint notices come before it), or the loop has ended.</summary>
    public Task DeparturesAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Post(new DeparturesAwaited(done)) ? done.Task : Task.CompletedTask;
    }

    /// <summary>Creates the members of a new run and makes them durable, with a first snapshot (replay always starts from one).</summary>
    public async Task StartRunAsync(CancellationToken cancellationToken)
    {
        Apply(new RunStarted(Now));
        await FinishTurnAsync(cancellationToken);
        await SnapshotAsync(cancellationToken);
    }

    /// <summary>The loop. Returns when the inbox is completed (<see cref="StopAsync"/>), after writing everything down.</summary>
    public async Task RunAsync()
    {
        var finished = false;
        try
        {
            CheckCompletion(_machine.State);
            var reader = _inbox.Reader;
            while (await reader.WaitToReadAsync())
            {
                // A turn ends early at the first decision: its commands wait for its own rows to
                // be written, not for the inputs queued behind it.
                for (var n = 0; n < _options.MaxInputsPerTurn && _decided.Count == 0 && !_selectionDue && reader.TryRead(out var input); n++)
                {
                    if (input is WorkerInput) _room.Release();
                    Handle(input);
                }
                await FinishTurnAsync(CancellationToken.None);
                if (_selectionDue)
                {
                    // The round ranks reports that were held back; they were made durable in the
                    // turn just finished, so this one writes only the round's own decisions.
                    _selectionDue = false;
                    Apply(new TimerTicked(Now));
                    await FinishTurnAsync(CancellationToken.None);
                }
            }
            // Stopping: what was held back goes into the log, and a snapshot makes the next start quick.
            _journal.Flush();
            await FinishTurnAsync(CancellationToken.None);
            await SnapshotAsync(CancellationToken.None);
            finished = true;
        }
        finally
        {
            Shut(finished ? "The coordinator is stopping; join it again when it is back." : "The coordinator failed; join it again when it is back.");
        }
    }

    /// <summary>No more inputs: the loop finishes what it has and returns.</summary>
    public void Complete() => _inbox.Writer.TryComplete();

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    private void Handle(NodeInput input)
    {
        switch (input)
        {
            case ReportReceived report: OnReport(report); break;
            case NoticeReceived notice: OnNotice(notice); break;
            case HeartbeatReceived heartbeat: OnHeartbeat(heartbeat); break;
            case DepartureReceived departure: OnDeparture(departure); break;
            case OutcomeReceived ended: OnOutcome(ended); break;
            case ClusterNodeChanged changed: OnNodeChanged(changed); break;
            case DeparturesAwaited awaited: _departuresAwaited.Add(awaited.Done); break;
            case JoinRequested join: OnJoin(join); break;
            case SweepDue: OnSweep(); break;
            case SelectionDue:
                _journal.Flush();
                _selectionDue = true;
                break;
            case FlushDue: _journal.Flush(); break;
            default: throw new InvalidOperationException($"The population actor does not handle {input.GetType().Name}.");
        }
    }

    // Applies one event; what must be durable goes to the journal, its commands wait for the end of the turn.
    private PopulationOutput Apply(PopulationInput input, long? leaseEpoch = null)
    {
        var before = _machine.State;
        var output = _machine.Apply(input);
        // Decided when the machine answers: nothing can leave before it has.
        var decided = Stopwatch.GetTimestamp();
        if (output.Log.IsEmpty && output.Commands.IsEmpty && leaseEpoch is null && input is not CheckpointWritten)
        {
            // Nothing decided. A state that did not move needs no row; a plain report is held back.
            if (before.Equals(_machine.State)) return output;
            if (input is MemberReported report)
            {
                _journal.Hold(report);
                return output;
            }
        }
        _journal.Write(input, output, _machine.State, leaseEpoch);
        foreach (var command in output.Commands) _decided.Add((command, decided));
        return output;
    }

    private async Task FinishTurnAsync(CancellationToken cancellationToken)
    {
        var (rows, entries) = _journal.Take();
        long first = 0;
        if (rows.Length > 0)
        {
            // The rule: persist first, then answer, send and publish.
            first = await _store.AppendBatchAsync(rows, cancellationToken);
            _lastSequence = first + rows.Length - 1;
            _rowsSinceSnapshot += rows.Length;
        }
        foreach (var c in _checkpoints)
            await _store.RecordCheckpointAsync(c.MemberId, c.Step, c.Path, c.SizeBytes, c.Sha256Hex, c.WorkerAddress, cancellationToken);
        _checkpoints.Clear();

        var state = _machine.State;
        _view = new PopulationView(state, _lastSequence);
        foreach (var (reply, response) in _replies) reply.TrySetResult(response);
        _replies.Clear();
        Route();
        Publish(entries, first);

        if (_rowsSinceSnapshot >= _options.SnapshotEvery) await SnapshotAsync(cancellationToken);
        if (_collector is not null) await _collector.CollectIfDueAsync(state, cancellationToken);
        CheckCompletion(state);
        if (_departuresAwaited.Count > 0 && !_current.Values.Any(l => l.Draining)) ReleaseDepartures();
    }

    private void ReleaseDepartures()
    {
        foreach (var done in _departuresAwaited) done.TrySetResult();
        _departuresAwaited.Clear();
    }

    private async Task SnapshotAsync(CancellationToken cancellationToken)
    {
        var snapshot = new NodeSnapshot(_machine.Options, _registry.LastIssuedEpoch, _machine.State);
        await _store.SaveSnapshotAsync(_lastSequence, snapshot.Serialize(), cancellationToken);
        // The snapshot holds the reports held back, so they never need a row.
        _journal.ForgetHeld();
        _rowsSinceSnapshot = 0;
    }

    private void Publish(LoggedEntry?[] entries, long first)
    {
        if (!_feed.HasWatchers) return;
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i] is not { } logged) continue;
            var e = logged.Entry.ToProto(logged.After);
            e.Sequence = first + i;
            _feed.Publish(e);
        }
    }

    private void CheckCompletion(PopulationState state)
    {
        if (!state.Completed || _completion.Task.IsCompleted) return;
        var outcome = RunOutcome.Of(_options.RunId, state);
        _logger.LogInformation("Run {RunId} is complete; the best member is {Member}.", _options.RunId, outcome.BestMemberId ?? "none");
        foreach (var link in _current.Values) link.Drain("the run is complete");
        _completion.TrySetResult(outcome);
    }

    // Every worker hears that its lease ended (it joins the next coordinator), every join still
    // waiting fails with the reason, every watcher's stream ends.
    private void Shut(string reason)
    {
        _inbox.Writer.TryComplete();
        foreach (var link in _byEpoch.Values) link.Close(reason);
        var status = new Status(StatusCode.Unavailable, reason);
        foreach (var (reply, _) in _replies) reply.TrySetException(new RpcException(status));
        while (_inbox.Reader.TryRead(out var input))
        {
            if (input is JoinRequested join) join.Reply.TrySetException(new RpcException(status));
        }
        _feed.Complete();
        ReleaseDepartures();
    }

    /// <summary>Once the loop has ended: a run that did not complete ends with the loop's failure, or as cancelled by a stop.</summary>
    public void Settle(Task loop)
    {
        if (loop.Exception is { } failure) _completion.TrySetException(failure.InnerExceptions);
        else _completion.TrySetCanceled();
    }

    private static RpcException Stopping() => new(new Status(StatusCode.Unavailable, "The coordinator is stopping; join it again when it is back."));
}
