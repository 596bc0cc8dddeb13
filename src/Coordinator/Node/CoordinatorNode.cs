using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Telemetry;
using HyperSwarm.Protocol.Threading;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// The live coordinator (DESIGN.md §3, docs/coordinator.md): the seed of the Akka cluster
/// (workers send to its population gateway, Akka.Cluster tells it who is up and who is down) and
/// the Coordinator gRPC service on Grpc.AspNetCore (Join, GetPopulation, WatchEvents), in front of
/// one population actor that owns the population machine, the worker leases and the store.
/// <see cref="StartAsync"/> on an empty store starts a run; on a store that holds one it replays
/// the log and carries on, and the workers join again under new epochs.
/// </summary>
public sealed class CoordinatorNode : IAsyncDisposable
{
    // How long a stopping node waits for drained workers' departures.
    private static readonly TimeSpan DepartureAllowance = TimeSpan.FromSeconds(10);

    private readonly PopulationActor _actor;
    private readonly CoordinatorCluster _cluster;
    private readonly GrpcHost _server;
    private readonly Task _loop;
    private readonly DedicatedThreadScheduler _thread;
    private readonly ITimer[] _timers;
    private readonly HyperSwarmTelemetry? _ownedTelemetry;
    private int _stopped;

    private CoordinatorNode(PopulationActor actor, CoordinatorCluster cluster, GrpcHost server, Task loop, DedicatedThreadScheduler thread, ITimer[] timers, HyperSwarmTelemetry? ownedTelemetry)
    {
        _actor = actor;
        _cluster = cluster;
        _server = server;
        _loop = loop;
        _thread = thread;
        _timers = timers;
        _ownedTelemetry = ownedTelemetry;
    }

    /// <summary>The address workers dial, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address => _server.Address;

    /// <summary>The HTTP/1.1 address of the scrape endpoint (<see cref="GrpcHostOptions.HttpEndpoint"/>); null when there is none.</summary>
    public Uri? HttpAddress => _server.HttpAddress;

    /// <summary>The node's Akka address, the cluster's seed (<c>akka.tcp://hyperswarm@127.0.0.1:41235</c>).</summary>
    public string ClusterSeed => _cluster.Seed;

    /// <summary>The run this node coordinates.</summary>
    public string RunId => _actor.RunId;

    /// <summary>
    /// Resolves when every member has finished or failed, with the best member and its
    /// checkpoint; faults if the node fails (e.g. its store does); is cancelled by a stop first.
    /// </summary>
    public Task<RunOutcome> Completion => _actor.Completion;

    /// <summary>The population as last persisted (what GetPopulation serves), with the store sequence it reflects.</summary>
    public (PopulationState State, long Sequence) Population => (_actor.View.State, _actor.View.Sequence);

    // The live event feed WatchEvents serves, for the dashboard in this assembly.
    internal EventFeed Feed => _actor.Feed;

    /// <summary>
    /// Opens the run in <see cref="CoordinatorNodeOptions.Store"/> (a new one, or the one it
    /// holds, replayed), starts the population actor, the cluster node, its timers and the gRPC server.
    /// </summary>
    public static async Task<CoordinatorNode> StartAsync(CoordinatorNodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = options.LoggerFactory.CreateLogger<CoordinatorNode>();
        // Refuses a store that belongs to another run, or to this run with another config.
        await options.Store.SetRunMetadataAsync(options.RunId, options.ConfigYaml, cancellationToken);
        var replay = await JournalReplay.RunAsync(options.Store, cancellationToken);
        var machine = replay.Machine ?? new PopulationMachine(options.Population, new SplitMix64(options.Seed));
        var registry = new WorkerRegistry(options.Membership, options.Time, replay.LastIssuedEpoch);
        var ownedTelemetry = options.Telemetry is null ? new HyperSwarmTelemetry() : null;
        var cluster = CoordinatorCluster.Create(options.EffectiveCluster);
        var actor = new PopulationActor(options, machine, registry, cluster, options.Telemetry ?? ownedTelemetry!, replay.LastSequence);
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
        var server = new GrpcHost(options.Server with { LoggerFactory = options.LoggerFactory });
        server.AddService(new CoordinatorService(actor, server.Stopping));
        options.ConfigureHost?.Invoke(server);
        var timers = new[]
        {
            Every(options, options.EffectiveSweepInterval, actor, new SweepDue()),
            Every(options, options.SelectionInterval, actor, new SelectionDue()),
            Every(options, options.ReportFlushInterval, actor, new FlushDue()),
        };
        var node = new CoordinatorNode(actor, cluster, server, loop, thread, timers, ownedTelemetry);
        try
        {
            await cluster.StartAsync(actor, options.Time, cancellationToken);
            await server.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException)
        {
            // The address is taken (or not ours), or the node could not seed its cluster: stop
            // what started before saying so.
            await node.DisposeAsync();
            throw;
        }
        logger.LogInformation("Coordinator for run {RunId} listens on {Address}; cluster seed {Seed}.", options.RunId, server.Address, cluster.Seed);
        return node;
    }

    /// <summary>
    /// Stops: the server first (watches end with UNAVAILABLE), then the actor, which writes what
    /// it held back and a snapshot and tells every worker its lease ended (they join the next
    /// coordinator), then the node leaves the cluster.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }
        foreach (var timer in _timers) await timer.DisposeAsync();
        await _server.StopAsync(cancellationToken);
        // A drained worker's last checkpoint notices are still on their way: they come before its departure.
        await _actor.DeparturesAsync().WaitAsync(DepartureAllowance, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _actor.Complete();
        // A failed loop already faulted Completion; the stop itself does not fail for it.
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _cluster.DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _cluster.DisposeAsync();
        await _server.DisposeAsync();
        _thread.Dispose();
        _ownedTelemetry?.Dispose();
    }

    // Timer inputs bypass the inbox's backpressure; one that finds the node stopping is dropped.
    private static ITimer Every(CoordinatorNodeOptions options, TimeSpan period, PopulationActor actor, NodeInput input) =>
        options.Time.CreateTimer(_ => actor.Post(input), null, period, period);
}
