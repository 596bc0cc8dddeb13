using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Cluster.Sharding;

namespace HyperSwarm.Coordinator.Cluster;

/// <summary>
/// The coordinator node's place in the Akka cluster (docs/membership.md): an actor system with
/// the <c>coordinator</c> role that seeds the cluster (it joins itself), the manager of the
/// population singleton (<see cref="PopulationSingleton"/>, on the oldest coordinator node), and
/// the proxy workers send to (<c>/user/population</c>), which finds the singleton wherever it runs,
/// and the <c>member</c> region member commands go through (<see cref="MemberSharding"/>).
/// </summary>
internal sealed class CoordinatorCluster : IAsyncDisposable
{
    private const string SingletonManager = "population-singleton";

    private readonly ActorSystem _system;
    private readonly Address _self;
    private IActorRef? _members;

    private CoordinatorCluster(ActorSystem system)
    {
        _system = system;
        _self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        Seed = _self.ToString();
    }

    /// <summary>This node's Akka address, the seed workers join (<c>akka.tcp://hyperswarm@host:port</c>).</summary>
    public string Seed { get; }

    /// <summary>Creates the actor system (Akka.Remote bound, not joined yet).</summary>
    public static CoordinatorCluster Create(ClusterNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Akka.NET 1.5.75's proxy logs "failed to find an associated singleton … after 30 seconds"
        // within the first second of a start that finds it well in time: a false alarm on the
        // user's terminal. The population's own start is what StartAsync awaits and reports.
        const string Quiet = "akka.cluster.singleton-proxy.log-singleton-identification-failure = off\n";
        return new CoordinatorCluster(ClusterBootstrap.Create(options with
        {
            Roles = [ClusterBootstrap.CoordinatorRole],
            SeedNodes = [],
            ExtraConfig = Quiet + options.ExtraConfig,
        }));
    }

    /// <summary>
    /// Null when a worker whose Akka node is <paramref name="clusterAddress"/> can be reached from
    /// this node; else why not, in one sentence. A node that speaks another transport (TLS against
    /// plain TCP: one side given the cluster token, the other not) cannot be addressed at all.
    /// </summary>
    public string? Unreachable(string clusterAddress)
    {
        if (!Address.TryParse(clusterAddress, out var address)) return $"its cluster address '{clusterAddress}' is not an Akka address.";
        return address.Protocol == _self.Protocol
            ? null
            : $"its cluster node speaks {address.Protocol} and this coordinator's {_self.Protocol}: start both with the cluster token, or both without.";
    }

    /// <summary>Where commands for the worker on <paramref name="clusterAddress"/> go: its command postbox (<paramref name="path"/> on that node; empty for <c>/user/worker</c>).</summary>
    public ICanTell Postbox(string clusterAddress, string path) =>
        _system.ActorSelection(clusterAddress + (path.Length > 0 ? path : $"/user/{ClusterBootstrap.WorkerPostbox}"));

    /// <summary>The leases this node issued and where their nodes are (the member region's allocation reads it).</summary>
    public LeaseDirectory Leases { get; } = new();

    /// <summary>This node's <c>member</c> region: a member command sent here reaches the member's entity on its lease's node.</summary>
    public IActorRef Members => _members ?? throw new InvalidOperationException("the coordinator's cluster is not started.");

    /// <summary>Starts the singleton's manager and the proxy, joins itself, and returns once the node is up (the singleton starts then).</summary>
    public async Task StartAsync(PopulationHosting hosting, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hosting);
        // The shard coordinator runs here (the oldest node) and reads where a lease lives from
        // this node's directory; its own region hosts no member (no lease lives here).
        _members = MemberSharding.StartRegion(_system, new PostboxDirectory(), Leases.Locate);
        _system.ActorOf(ClusterSingletonManager.Props(
                PopulationSingleton.Props(hosting, time),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(_system).WithRole(ClusterBootstrap.CoordinatorRole).WithSingletonName(PopulationSingleton.Name)),
            SingletonManager);
        _system.ActorOf(ClusterSingletonProxy.Props(
                $"/user/{SingletonManager}",
                ClusterSingletonProxySettings.Create(_system).WithRole(ClusterBootstrap.CoordinatorRole).WithSingletonName(PopulationSingleton.Name).WithBufferSize(10_000)),
            ClusterBootstrap.PopulationGateway);
        await ClusterBootstrap.JoinAsync(_system, Akka.Cluster.Cluster.Get(_system).SelfAddress, TimeSpan.FromSeconds(30), TimeProvider.System, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Leaves the cluster and terminates the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ActorSystemTerminateReason.Instance).ConfigureAwait(false);
        await _system.WhenTerminated.ConfigureAwait(false);
    }
}
