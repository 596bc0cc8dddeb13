using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// What a worker holds after <c>Join</c>: the right to run members for as long as its node stays
/// in the Akka cluster, until a newer epoch replaces it.
/// </summary>
/// <param name="WorkerId">The worker it was issued to.</param>
/// <param name="LeaseId">Unique per lease: the worker id and the epoch.</param>
/// <param name="Epoch">Fencing epoch; messages carrying any other epoch are refused.</param>
/// <param name="Node">The worker's node in the Akka cluster; the lease ends with it.</param>
/// <param name="JoinWithin">How long the node has to become a cluster member.</param>
/// <param name="HeartbeatInterval">How often the worker lists its running members.</param>
public sealed record WorkerLease(string WorkerId, string LeaseId, long Epoch, ClusterIncarnation Node, TimeSpan JoinWithin, TimeSpan HeartbeatInterval)
{
    /// <summary>The lease as it goes on the wire in a <see cref="JoinResponse"/>.</summary>
    public Lease ToProto() => new()
    {
        LeaseId = LeaseId,
        Epoch = Epoch,
        TtlMs = (long)JoinWithin.TotalMilliseconds,
        HeartbeatIntervalMs = (long)HeartbeatInterval.TotalMilliseconds,
    };
}
