using System.Collections.Concurrent;
using System.Diagnostics;
using HyperSwarm.Coordinator.Node;

namespace HyperSwarm.Bench.Coordinator;

/// <summary>
/// When each command was decided (from <see cref="CoordinatorNodeOptions.CommandQueued"/>), so
/// a simulated worker can tell, on receipt, how long it took: decision, persisting, routing,
/// HTTP/2 both ways. Worker and coordinator share the process, so one Stopwatch serves both.
/// </summary>
internal sealed class CommandClock
{
    private readonly ConcurrentDictionary<(long Epoch, long Sequence), long> _decided = new();

    private readonly ConcurrentQueue<double> _routing = new();

    /// <summary>Decision to queued on the session (the actor's part of the latency) since the last call, which forgets them.</summary>
    public IReadOnlyList<double> TakeRoutingMs()
    {
        var taken = new List<double>();
        while (_routing.TryDequeue(out var ms)) taken.Add(ms);
        return taken;
    }

    public bool Measuring { get; set; }

    public void Queued(CommandTrace trace)
    {
        if (!Measuring) return;
        _decided[(trace.LeaseEpoch, trace.Sequence)] = trace.DecidedTimestamp;
        _routing.Enqueue(Stopwatch.GetElapsedTime(trace.DecidedTimestamp).TotalMilliseconds);
    }

    public double? LatencyMs(long leaseEpoch, long sequence, long receivedTimestamp) =>
        _decided.TryRemove((leaseEpoch, sequence), out var decided)
            ? Stopwatch.GetElapsedTime(decided, receivedTimestamp).TotalMilliseconds
            : null;
}
