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
/// <param name="locate">Where a lease lives; null for a lease not issued here (yet).</param>
public sealed class LeaseAllocationStrategy(ActorSystem system, Func<long, LeaseLocation?> locate) : IShardAllocationStrategy
{
    private static readonly TimeSpan ResolveWithin = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public async Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (!MemberCommandExtractor.TryParseShard(shardId, out var epoch)) return requester; // not a lease: nobody's, dropped there
        // Not known yet: fail this allocation, so the sending region asks again (every
        // retry-interval) instead of pinning the shard anywhere for good.
        var lease = locate(epoch) ?? throw new InvalidOperationException($"lease {epoch} is not known on this node yet.");
        // Over: a command still on its way stays with the sender's region, whose entity finds no
        // postbox for it and drops it with a warning (the worker joins again anyway).
        if (lease.Ended) return requester;

        foreach (var region in currentShardAllocations.Keys)
        {
            if (region.Path.Address == lease.Node) return region;
        }

        // The lease's node is up but its region has not registered yet: name it; the shard
        // coordinator takes it once it has, and the sender's region asks again until then. A node
        // still starting cannot be reached for a few seconds: keep trying here (one failure
        // logged per give-up, not one per retry) until it answers, its lease ends, or the wait is over.
        var deadline = DateTime.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                return await system.ActorSelection(new RootActorPath(lease.Node) / "system" / "sharding" / MemberSharding.TypeName)
                    .ResolveOne(ResolveWithin).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ActorNotFoundException or AskTimeoutException)
            {
                if (locate(epoch) is { Ended: true }) return requester;
                if (DateTime.UtcNow >= deadline)
                    throw new InvalidOperationException($"the member region of lease {epoch} on {lease.Node} could not be reached for {GiveUpAfter.TotalSeconds:G3} s.", e);
                await Task.Delay(RetryEvery).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Never moves a shard: members move between leases, not shards between nodes.</summary>
    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
