using System.Collections.Concurrent;
using Akka.Actor;

namespace HyperSwarm.Protocol.Cluster.Sharding;

/// <summary>
/// The command postboxes of the workers on one cluster node, by worker id: a member's entity
/// hands its commands to the postbox of the worker they were decided for. A node runs one worker
/// (several in <c>bench coordinator</c>'s simulation).
/// </summary>
public sealed class PostboxDirectory
{
    private readonly ConcurrentDictionary<string, IActorRef> _postboxes = new(StringComparer.Ordinal);

    public void Register(string workerId, IActorRef postbox) => _postboxes[workerId] = postbox;

    public IActorRef? Find(string workerId) => _postboxes.GetValueOrDefault(workerId);
}
