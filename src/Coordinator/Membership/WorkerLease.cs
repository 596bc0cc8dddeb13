using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// What a worker holds after <c>Join</c>: the right to run members until the lease expires or
/// a newer epoch replaces it.
/// </summary>
/// <param name="WorkerId">The worker it was issued to.</param>
/// <param name="LeaseId">Unique per lease: the worker id and the epoch.</param>
/// <param name="Epoch">Fencing epoch; messages carrying any other epoch are refused.</param>
/// <param name="Ttl">Time the lease stays valid without a heartbeat.</param>
/// <param name="HeartbeatInterval">How often the worker must send a heartbeat.</param>
public sealed record WorkerLease(string WorkerId, string LeaseId, long Epoch, TimeSpan Ttl, TimeSpan HeartbeatInterval)
{
    /// <summary>The lease as it goes on the wire in a <see cref="JoinResponse"/>.</summary>
    public Lease ToProto() => new()
    {
        LeaseId = LeaseId,
        Epoch = Epoch,
        TtlMs = (long)Ttl.TotalMilliseconds,
        HeartbeatIntervalMs = (long)HeartbeatInterval.TotalMilliseconds,
    };
}
