using Akka.Actor;
using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Protocol.Cluster.Sharding;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// One lease's way to its worker over Akka.Remote, numbered per lease and stamped with its epoch
/// and worker: a member's commands through the <c>member</c> region to the member's entity in the
/// lease's shard (one sender, one entity: Akka keeps their order), Drain and
/// <see cref="LeaseEnded"/> straight to the worker's command postbox. Once fenced, the link sends
/// nothing more but <see cref="LeaseEnded"/>, which tells the worker to join again.
/// </summary>
internal sealed class WorkerLink(WorkerLease lease, ICanTell postbox, ICanTell members, LeaseDirectory leases)
{
    private long _sequence;
    private volatile string? _fence;
    private volatile bool _draining;

    public WorkerLease Lease => lease;

    public string WorkerId => lease.WorkerId;

    public long Epoch => lease.Epoch;

    /// <summary>Why this lease may no longer talk to the population; null while it may.</summary>
    public string? Fence => _fence;

    /// <summary>True once the worker was told to drain: its lease ends when it says it has left.</summary>
    public bool Draining => _draining;

    /// <summary>Sends a command (on the population actor) and returns its sequence; 0 when the link is fenced.</summary>
    public long Send(Func<long, CoordinatorCommand> build)
    {
        if (_fence is not null) return 0;
        var sequence = ++_sequence;
        var command = build(sequence);
        command.LeaseEpoch = lease.Epoch;
        command.WorkerId = lease.WorkerId;
        var route = MemberCommandExtractor.MemberOf(command) is null ? postbox : members;
        route.Tell(command, ActorRefs.NoSender);
        return sequence;
    }

    /// <summary>Ends the lease for <paramref name="reason"/> and tells the worker so; later calls change nothing.</summary>
    public void Close(string reason)
    {
        if (_fence is not null) return;
        _fence = reason;
        leases.End(lease.Epoch);
        postbox.Tell(new LeaseEnded { LeaseEpoch = lease.Epoch, Reason = reason }, ActorRefs.NoSender);
    }

    /// <summary>Tells the worker to drain: it checkpoints its members and says when it has left.</summary>
    public void Drain(string reason)
    {
        if (_draining) return;
        _draining = true;
        Send(sequence => new CoordinatorCommand { Sequence = sequence, Drain = new Drain { Reason = reason } });
    }
}
