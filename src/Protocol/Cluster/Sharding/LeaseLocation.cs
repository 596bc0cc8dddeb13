using Akka.Actor;

namespace HyperSwarm.Protocol.Cluster.Sharding;

/// <summary>Where a lease's shard lives: the node that holds the lease, and whether the lease has ended.</summary>
/// <param name="Node">The worker node's Akka address.</param>
/// <param name="Ended">True once the lease is fenced or over: a command still on its way is dropped.</param>
public sealed record LeaseLocation(Address Node, bool Ended);
