using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Telemetry;
using HyperSwarm.Protocol.Threading;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// One running population: the store opened for the run (a new one, or the one it holds,
/// replayed), the population actor's loop on a thread of its own, and its timers. The cluster
/// singleton starts one where it runs and stops it when it stops or moves; a new one rebuilds
/// everything from the store.
/// </summary>
internal sealed class PopulationHost
{
    private readonly PopulationActor _actor;
    private readonly Task _loop;
    private readonly DedicatedThreadScheduler _thread;
    private readonly ITimer[] _timers;
    private readonly object _gate = new();
    private Task? _stopping;

    private PopulationHost(PopulationActor actor, Task loop, DedicatedThreadScheduler thread, ITimer[] timers)
    {
        _actor = actor;
        _loop = loop;
        _thread = thread;
        _timers = timers;
    }

    public PopulationActor Actor => _actor;

    /// <summary>Ends when the loop has ended (stopped, or failed: then <see cref="PopulationActor.Completion"/> says why).</summary>
    public Task Loop => _loop;

    /// <summary>Sets the run metadata (refusing a store of another run), replays the store and starts the loop and timers.</summary>
    public static async Task<PopulationHost> StartAsync(CoordinatorNodeOptions options, CoordinatorCluster cluster, HyperSwarmTelemetry telemetry, CancellationToken cancellationToken)
    {
        var logger = options.LoggerFactory.CreateLogger<PopulationHost>();
        // Refuses a store that belongs to another run, or to this run with another config.
        await options.Store.SetRunMetadataAsync(options.RunId, options.ConfigYaml, cancellationToken);
        var replay = await JournalReplay.RunAsync(options.Store, cancellationToken);
        var machine = replay.Machine ?? new PopulationMachine(options.Population, new SplitMix64(options.Seed));
        var registry = new WorkerRegistry(options.Membership, options.Time, replay.LastIssuedEpoch);
        var actor = new PopulationActor(options, machine, registry, cluster, telemetry, replay.LastSequence);
        if (replay.Machine is null)
        {
            await actor.StartRunAsync(cancellationToken);
            logger.LogInformation("Run {RunId} started with {Size} members.", options.RunId, machine.Options.Size);
        }
        else
        {
            logger.LogInformation("Run {RunId} continues from sequence {Sequence} (snapshot {Snapshot}); {Workers} workers must join again.",
                options.RunId, replay.LastSequence, replay.SnapshotSequence, machine.State.Workers.Count);
        }

        // Its own thread: the actor's continuations never queue behind the thread pool's work.
        var thread = new DedicatedThreadScheduler($"hyperswarm-population-{options.RunId}");
        var loop = Task.Factory.StartNew(actor.RunAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, thread).Unwrap();
        _ = loop.ContinueWith(actor.Settle, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var timers = new[]
        {
            Every(options, options.EffectiveSweepInterval, actor, new SweepDue()),
            Every(options, options.SelectionInterval, actor, new SelectionDue()),
            Every(options, options.ReportFlushInterval, actor, new FlushDue()),
        };
        return new PopulationHost(actor, loop, thread, timers);
    }

    /// <summary>
    /// Stops the timers, waits up to <paramref name="departures"/> for drained workers' departures
    /// (their final checkpoint notices come before them), then ends the loop, which writes what it
    /// held back and a snapshot and tells every worker its lease ended. Later calls wait for the first.
    /// </summary>
    public Task StopAsync(TimeSpan departures)
    {
        lock (_gate)
        {
            return _stopping ??= StopOnceAsync(departures);
        }
    }

    private async Task StopOnceAsync(TimeSpan departures)
    {
        foreach (var timer in _timers) await timer.DisposeAsync();
        if (departures > TimeSpan.Zero)
            await _actor.DeparturesAsync().WaitAsync(departures).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _actor.Complete();
        // A failed loop already faulted Completion; the stop itself does not fail for it.
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _thread.Dispose();
    }

    // Timer inputs bypass the inbox's backpressure; one that finds the loop stopping is dropped.
    private static ITimer Every(CoordinatorNodeOptions options, TimeSpan period, PopulationActor actor, NodeInput input) =>
        options.Time.CreateTimer(_ => actor.Post(input), null, period, period);
}
