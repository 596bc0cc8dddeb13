using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Telemetry;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// The live coordinator (DESIGN.md §3, docs/coordinator.md): the seed of the Akka cluster, whose
/// population singleton (role <c>coordinator</c>) hosts the population actor that owns the
/// population machine, the worker leases and the store (workers send to it through the node's
/// proxy; Akka.Cluster tells it who is up and who is down), and the Coordinator gRPC service on
/// Grpc.AspNetCore (Join, GetPopulation, WatchEvents).
/// <see cref="StartAsync"/> on an empty store starts a run; on a store that holds one it replays
/// the log and carries on, and the workers join again under new epochs.
/// </summary>
public sealed class CoordinatorNode : IAsyncDisposable
{
    // How long a stopping node waits for drained workers' departures.
    private static readonly TimeSpan DepartureAllowance = TimeSpan.FromSeconds(10);

    private readonly CoordinatorNodeOptions _options;
    private readonly PopulationHosting _hosting;
    private readonly CoordinatorCluster _cluster;
    private readonly GrpcHost _server;
    private readonly HyperSwarmTelemetry? _ownedTelemetry;
    private int _stopped;

    private CoordinatorNode(CoordinatorNodeOptions options, PopulationHosting hosting, CoordinatorCluster cluster, GrpcHost server, HyperSwarmTelemetry? ownedTelemetry)
    {
        _options = options;
        _hosting = hosting;
        _cluster = cluster;
        _server = server;
        _ownedTelemetry = ownedTelemetry;
    }

    /// <summary>The address workers dial, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address => _server.Address;

    /// <summary>The HTTP/1.1 address of the scrape endpoint (<see cref="GrpcHostOptions.HttpEndpoint"/>); null when there is none.</summary>
    public Uri? HttpAddress => _server.HttpAddress;

    /// <summary>The node's Akka address, the cluster's seed (<c>akka.tcp://hyperswarm@127.0.0.1:41235</c>).</summary>
    public string ClusterSeed => _cluster.Seed;

    /// <summary>The run this node coordinates.</summary>
    public string RunId => _options.RunId;

    /// <summary>
    /// Resolves when every member has finished or failed, with the best member and its
    /// checkpoint; faults if the population fails (e.g. its store does); is cancelled by a stop first.
    /// </summary>
    public Task<RunOutcome> Completion => Host.Actor.Completion;

    /// <summary>The population as last persisted (what GetPopulation serves), with the store sequence it reflects.</summary>
    public (PopulationState State, long Sequence) Population => (Host.Actor.View.State, Host.Actor.View.Sequence);

    private PopulationHost Host => _hosting.Current ?? throw new InvalidOperationException("This node hosts no population.");

    // The live event feed WatchEvents serves, for the dashboard in this assembly.
    internal EventFeed Feed => Host.Actor.Feed;

    /// <summary>
    /// Starts the gRPC server, then seeds the cluster, whose population singleton opens the run in
    /// <see cref="CoordinatorNodeOptions.Store"/> (a new one, or the one it holds, replayed) and
    /// starts the population actor and its timers here; returns once it has. Throws what stopped
    /// the population from starting (a store of another run, say).
    /// </summary>
    public static async Task<CoordinatorNode> StartAsync(CoordinatorNodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = options.LoggerFactory.CreateLogger<CoordinatorNode>();
        var ownedTelemetry = options.Telemetry is null ? new HyperSwarmTelemetry() : null;
        var cluster = CoordinatorCluster.Create(options.EffectiveCluster);
        var hosting = new PopulationHosting(options, cluster, options.Telemetry ?? ownedTelemetry!);
        var server = new GrpcHost(options.Server with { LoggerFactory = options.LoggerFactory });
        server.AddService(new CoordinatorService(hosting, server.Stopping));
        options.ConfigureHost?.Invoke(server);
        var node = new CoordinatorNode(options, hosting, cluster, server, ownedTelemetry);
        try
        {
            // The server binds first: Akka.Remote's free port (the default) can then never take
            // the port the gRPC server was told to use. Until the population is up, its calls
            // answer UNAVAILABLE and workers retry.
            await server.StartAsync(cancellationToken);
            await cluster.StartAsync(hosting, options.Time, cancellationToken);
            await hosting.FirstStart.WaitAsync(cancellationToken);
        }
        catch
        {
            // The address is taken (or not ours), the node could not seed its cluster, or the
            // population could not start: stop what started before saying so.
            await node.DisposeAsync();
            throw;
        }
        logger.LogInformation("Coordinator for run {RunId} listens on {Address}; cluster seed {Seed}.", options.RunId, server.Address, cluster.Seed);
        return node;
    }

    /// <summary>
    /// Stops: the server first (watches end with UNAVAILABLE), then the population, which waits
    /// for drained workers' departures, writes what it held back and a snapshot and tells every
    /// worker its lease ended (they join the next coordinator), then the node leaves the cluster.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            if (_hosting.Current is { } stopping) await stopping.StopAsync(DepartureAllowance);
            return;
        }
        await _server.StopAsync(cancellationToken);
        if (_hosting.Current is { } host) await host.StopAsync(DepartureAllowance);
        await _cluster.DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _cluster.DisposeAsync();
        await _server.DisposeAsync();
        _ownedTelemetry?.Dispose();
    }
}
