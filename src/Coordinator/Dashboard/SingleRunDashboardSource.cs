using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// A training run without a coordinator (<c>hyperswarm train</c>) as a population of one, fed by
/// its caller: <see cref="Update"/> at every progress report, <see cref="Notice"/> for what the
/// run says (evaluations, new best model), <see cref="Complete"/> at the end. Thread-safe: the
/// training thread feeds it while the dashboard's requests read it.
/// </summary>
public sealed class SingleRunDashboardSource(string run, DashboardWorker worker) : IDashboardSource
{
    // Notices are rare; a watcher that cannot keep up with 256 of them loses the oldest.
    private const int Backlog = 256;
    private readonly object _gate = new();
    private readonly List<Channel<DashboardEvent>> _watchers = [];
    private DashboardMember? _member;
    private DateTimeOffset? _lastUpdate;
    private long _sequence;
    private bool _complete;

    /// <summary>The member's latest state.</summary>
    public void Update(DashboardMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        lock (_gate)
        {
            _member = member;
            _lastUpdate = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>Publishes one event (<paramref name="kind"/> as WatchEvents names kinds, e.g. <c>validation</c>).</summary>
    public void Notice(string kind, string reason)
    {
        lock (_gate)
        {
            var e = new DashboardEvent(++_sequence, DateTimeOffset.UtcNow, kind, _member?.Id ?? "", worker.Id, reason);
            foreach (var watcher in _watchers) watcher.Writer.TryWrite(e);
        }
    }

    /// <summary>Training is over: the status says so and every watch ends.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _complete = true;
            foreach (var watcher in _watchers) watcher.Writer.TryComplete();
        }
    }

    /// <inheritdoc />
    public DashboardSnapshot Snapshot()
    {
        lock (_gate)
        {
            var status = _complete ? "complete" : _member is null ? "starting" : "running";
            var members = _member is { } m ? new[] { m with { State = _complete ? "finished" : m.State } } : [];
            var health = worker with { Members = _complete ? 0 : members.Length, LastReport = _lastUpdate };
            return new DashboardSnapshot(DashboardSnapshot.TrainKind, run, status, _sequence, members, [health], []);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DashboardEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<DashboardEvent>(new BoundedChannelOptions(Backlog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (_complete) channel.Writer.TryComplete();
            else _watchers.Add(channel);
        }

        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return e;
        }
        finally
        {
            lock (_gate) _watchers.Remove(channel);
        }
    }
}
