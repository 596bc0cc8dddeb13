using System.Collections.Concurrent;
using Akka.Actor;
using HyperSwarm.Protocol.Cluster.Sharding;

namespace HyperSwarm.Coordinator.Cluster;

/// <summary>
/// Every lease this coordinator node issued, and where its node is: the member region's shard
/// coordinator reads it to put a lease's shard on that node (<see cref="LeaseAllocationStrategy"/>).
/// A lease is written before its Join is answered, so it is here before its first command; it
/// belongs to the node, not to a population host, so a host that is still starting cannot hide it.
/// </summary>
internal sealed class LeaseDirectory
{
    private readonly ConcurrentDictionary<long, LeaseLocation> _leases = new();

    /// <summary>Lease <paramref name="epoch"/> was issued to the worker node at <paramref name="node"/>.</summary>
    public void Issue(long epoch, Address node) => _leases[epoch] = new LeaseLocation(node, Ended: false);

    /// <summary>Lease <paramref name="epoch"/> is fenced or over.</summary>
    public void End(long epoch)
    {
        if (_leases.TryGetValue(epoch, out var lease)) _leases[epoch] = lease with { Ended = true };
    }

    /// <summary>Where lease <paramref name="epoch"/> lives; null for one not issued here.</summary>
    public LeaseLocation? Locate(long epoch) => _leases.GetValueOrDefault(epoch);
}
