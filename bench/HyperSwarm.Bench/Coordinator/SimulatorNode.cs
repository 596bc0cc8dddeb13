using Akka.Actor;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Cluster.Sharding;

namespace HyperSwarm.Bench.Coordinator;

/// <summary>
/// One node of the Akka cluster that carries many simulated workers (<c>bench coordinator</c>):
/// a hundred actor systems do not fit two cores, so 100 workers share a few nodes, each worker
/// with a postbox of its own (<c>JoinRequest.postbox</c>), which the node's one member region hands
/// each worker's member commands to. Their messages still cross Akka.Remote
/// between processes' worth of transport: every node is a separate actor system on its own port.
/// </summary>
internal sealed class SimulatorNode : IAsyncDisposable
{
    private readonly Lazy<Task> _joined;
    private Address? _seed;

    public SimulatorNode()
    {
        System = ClusterBootstrap.Create(new ClusterNodeOptions { Roles = [ClusterBootstrap.WorkerRole] });
        MemberSharding.StartWorkerRegion(System, Postboxes);
        _joined = new Lazy<Task>(JoinAsync);
    }

    public ActorSystem System { get; }

    /// <summary>Its workers' postboxes: the node's member region hands each command to its worker's.</summary>
    public PostboxDirectory Postboxes { get; } = new();

    /// <summary>Joins the cluster through <paramref name="seed"/> (the first caller's; later ones wait for the same join).</summary>
    public Task JoinAsync(Address seed)
    {
        Interlocked.CompareExchange(ref _seed, seed, null);
        return _joined.Value;
    }

    /// <summary>Leaves the cluster, then ends the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await System.WhenTerminated;
    }

    private Task JoinAsync() => ClusterBootstrap.JoinAsync(System, _seed!, TimeSpan.FromSeconds(60), TimeProvider.System);
}
