using System.Threading.Channels;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// Live population events for WatchEvents callers. The population actor publishes and never
/// waits: a watcher whose backlog is full is cut off (its stream ends with RESOURCE_EXHAUSTED
/// and it resumes from its last sequence, which the store replays).
/// </summary>
internal sealed class EventFeed(int backlog)
{
    private readonly object _gate = new();
    private Watcher[] _watchers = [];

    /// <summary>Events one watcher may fall behind.</summary>
    public int Backlog => backlog;

    /// <summary>Whether anyone listens: events are built only then.</summary>
    public bool HasWatchers => Volatile.Read(ref _watchers).Length > 0;

    public Watcher Subscribe()
    {
        var watcher = new Watcher(Channel.CreateBounded<PopulationEvent>(new BoundedChannelOptions(backlog) { SingleReader = true, SingleWriter = true }));
        lock (_gate) _watchers = [.. _watchers, watcher];
        return watcher;
    }

    public void Unsubscribe(Watcher watcher)
    {
        lock (_gate) _watchers = [.. _watchers.Where(w => w != watcher)];
    }

    public void Publish(PopulationEvent e)
    {
        foreach (var watcher in Volatile.Read(ref _watchers))
        {
            if (!watcher.Channel.Writer.TryWrite(e))
            {
                watcher.Overflowed = true;
                watcher.Channel.Writer.TryComplete();
            }
        }
    }

    /// <summary>The node stops: every live stream ends after what it has received.</summary>
    public void Complete()
    {
        foreach (var watcher in Volatile.Read(ref _watchers)) watcher.Channel.Writer.TryComplete();
    }

    internal sealed class Watcher(Channel<PopulationEvent> channel)
    {
        public Channel<PopulationEvent> Channel { get; } = channel;

        public volatile bool Overflowed;
    }
}
