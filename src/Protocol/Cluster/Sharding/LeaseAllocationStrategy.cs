using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace HyperSwarm.Protocol.Cluster.Sharding;

/// <summary>
/// Cluster.Sharding's allocation strategy for members: a shard is a lease, and it lives on the
/// node that holds the lease. Which member runs on which device slot is the population's decision
/// (its allocator: one member per slot, least-loaded worker first, moves only at checkpoint
/// boundaries), written to the event log and fenced by epochs; a move is a stop under the old
/// lease's shard and a start under the new one's, so a shard never needs to move and
/// <see cref="Rebalance"/> moves none. docs/membership.md, "Members as sharded entities", says
/// why Akka's own shard state (in-memory CRDTs) does not decide placement.
/// </summary>
/// <param name="system">The node's actor system (to find a lease's region before it registered).</param>
/// <param name="nodeOf">The node address of a live lease; null for a lease that ended or was never issued.</param>
public sealed class LeaseAllocationStrategy(ActorSystem system, Func<long, Address?> nodeOf) : IShardAllocationStrategy
{
    private static readonly TimeSpan ResolveWithin = TimeSpan.FromSeconds(2);

    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (!MemberCommandExtractor.TryParseShard(shardId, out var epoch) || nodeOf(epoch) is not { } node)
        {
            // A command for a lease that is over: it stays with the sender's region, whose entity
            // finds no postbox for it and drops it with a warning (the worker rejoins anyway).
            return requester;
        }

        foreach (var region in currentShardAllocations.Keys)
        {
            if (region.Path.Address == node) return region;
        }

        // The lease's node is up but its region has not registered yet: name it; the shard
        // coordinator takes it once it has, and the sender's region asks again until then.
        try
        {
            return await system.ActorSelection(new RootActorPath(node) / "system" / "sharding" / MemberSharding.TypeName)
                .ResolveOne(ResolveWithin).ConfigureAwait(false);
        }
        catch (ActorNotFoundException)
        {
            return requester;
        }
    }

    /// <summary>Never moves a shard: members move between leases, not shards between nodes.</summary>
    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
