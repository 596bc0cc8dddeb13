using System.Threading.Channels;

namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// The live side of the dashboard, shared by every open page: samples the source every interval
/// (reports move steps and losses without any event), keeps the curves, relays the source's
/// events, and hands each server-sent-events connection its frames. A connection whose client
/// cannot keep up is closed; the browser reconnects and starts again from a full snapshot.
/// </summary>
internal sealed class DashboardHub(string kind, string run, TimeSpan interval, TimeProvider time)
{
    /// <summary>Events a new page is shown before live ones arrive.</summary>
    public const int RecentEvents = 100;

    // Frames one connection may have queued; one per interval plus events.
    private const int ConnectionBacklog = 256;
    private readonly object _gate = new();
    private readonly DashboardHistory _history = new();
    private readonly LinkedList<DashboardEvent> _events = new();
    private readonly List<Channel<string>> _connections = [];
    private readonly TaskCompletionSource<IDashboardSource> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DashboardSnapshot _latest = DashboardSnapshot.Starting(kind, run);

    /// <summary>Serves <paramref name="source"/> from now on (once; before it, the page shows <c>starting</c>).</summary>
    public void Attach(IDashboardSource source)
    {
        if (!_attached.TrySetResult(source)) throw new InvalidOperationException("The dashboard already has a source.");
        Sample();
    }

    /// <summary><c>/api/snapshot</c>: the latest sample with the curves and recent events.</summary>
    public string FullJson()
    {
        lock (_gate) return DashboardJson.Full(_latest, _history.Copy(), [.. _events]);
    }

    /// <summary>A new stream: its first frame is the full snapshot, then samples and events as they come.</summary>
    public ChannelReader<string> Connect()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(ConnectionBacklog) { SingleReader = true });
        lock (_gate)
        {
            // Under the lock: nothing is broadcast between the snapshot and the registration.
            channel.Writer.TryWrite(Frame("snapshot", DashboardJson.Full(_latest, _history.Copy(), [.. _events])));
            _connections.Add(channel);
        }

        return channel.Reader;
    }

    /// <summary>The stream of <paramref name="reader"/> ended.</summary>
    public void Disconnect(ChannelReader<string> reader)
    {
        lock (_gate) _connections.RemoveAll(c => c.Reader == reader);
    }

    /// <summary>Samples every interval and relays events until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(SampleEveryIntervalAsync(cancellationToken), RelayEventsAsync(cancellationToken));

    /// <summary>Takes a sample now and sends it to every stream.</summary>
    public void Sample()
    {
        var snapshot = _attached.Task.IsCompletedSuccessfully ? _attached.Task.Result.Snapshot() : DashboardSnapshot.Starting(kind, run);
        lock (_gate)
        {
            _latest = snapshot;
            _history.Record(snapshot, time.GetUtcNow());
            Broadcast(Frame("members", DashboardJson.Snapshot(snapshot)));
        }
    }

    /// <summary>The server stops: a last sample, then every stream ends after what it was sent.</summary>
    public void Complete()
    {
        Sample();
        lock (_gate)
        {
            foreach (var c in _connections) c.Writer.TryComplete();
            _connections.Clear();
        }
    }

    private async Task SampleEveryIntervalAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) Sample();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server stops.
        }
    }

    private async Task RelayEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var source = await _attached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await foreach (var e in source.WatchAsync(cancellationToken).ConfigureAwait(false)) Publish(e);
                // The source dropped this watcher (it fell behind, or the run is over): watch
                // again, not in a tight loop.
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server stops.
        }
    }

    private void Publish(DashboardEvent e)
    {
        lock (_gate)
        {
            _events.AddLast(e);
            if (_events.Count > RecentEvents) _events.RemoveFirst();
            Broadcast(Frame("event", DashboardJson.Event(e)));
        }
    }

    // Called under the lock.
    private void Broadcast(string frame)
    {
        for (var i = _connections.Count - 1; i >= 0; i--)
        {
            if (_connections[i].Writer.TryWrite(frame)) continue;
            _connections[i].Writer.TryComplete();
            _connections.RemoveAt(i);
        }
    }

    // text/event-stream framing: JSON has no raw newlines, so one data line per message.
    private static string Frame(string name, string json) => $"event: {name}\ndata: {json}\n\n";
}
