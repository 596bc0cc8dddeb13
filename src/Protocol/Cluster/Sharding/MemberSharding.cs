using Akka.Actor;
using Akka.Cluster.Sharding;

namespace HyperSwarm.Protocol.Cluster.Sharding;

/// <summary>
/// Members as Cluster.Sharding entities (docs/membership.md, "Members as sharded entities"): every
/// node starts the <c>member</c> region. Workers' regions host the entities; the coordinator's
/// region hosts none (no lease lives on it) and is where the population sends member commands.
/// The shard coordinator runs on the oldest node, the coordinator, which seeds the cluster.
/// </summary>
public static class MemberSharding
{
    /// <summary>The entity type's name: the region is <c>/system/sharding/member</c> on every node.</summary>
    public const string TypeName = "member";

    /// <summary>Starts this node's region; <paramref name="locate"/> answers for leases where the shard coordinator runs (the coordinator node).</summary>
    public static IActorRef StartRegion(ActorSystem system, PostboxDirectory directory, Func<long, LeaseLocation?> locate)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(locate);
        return ClusterSharding.Get(system).Start(
            TypeName,
            MemberEntity.Props(directory),
            ClusterShardingSettings.Create(system),
            new MemberCommandExtractor(),
            new LeaseAllocationStrategy(system, locate),
            PoisonPill.Instance);
    }

    /// <summary>A worker node's region: it hosts the members of the workers in <paramref name="directory"/> and never allocates shards.</summary>
    public static IActorRef StartWorkerRegion(ActorSystem system, PostboxDirectory directory) => StartRegion(system, directory, _ => null);
}
