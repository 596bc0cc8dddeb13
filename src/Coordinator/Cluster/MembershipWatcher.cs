using Akka.Actor;
using Akka.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Protocol.Cluster;
using static Akka.Cluster.ClusterEvent;

namespace HyperSwarm.Coordinator.Cluster;

/// <summary>
/// Hears Akka.Cluster's membership events on the coordinator's node and hands those about worker
/// nodes to the population actor as <see cref="NodeChange"/>s: the failure detector and the
/// split-brain resolver decide who is down; the registry ties each node to its lease.
/// </summary>
internal sealed class MembershipWatcher : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public MembershipWatcher(Action<ClusterIncarnation, NodeChange> changed)
    {
        Receive<MemberUp>(e => Tell(e.Member, NodeChange.Up));
        Receive<UnreachableMember>(e => Tell(e.Member, NodeChange.Unreachable));
        Receive<ReachableMember>(e => Tell(e.Member, NodeChange.Reachable));
        Receive<MemberDowned>(e => Tell(e.Member, NodeChange.Downed));
        // A node removed after being downed was announced as downed already (the registry ends a lease once).
        Receive<MemberRemoved>(e => Tell(e.Member, e.PreviousStatus == MemberStatus.Down ? NodeChange.Downed : NodeChange.Removed));
        Receive<IMemberEvent>(_ => { });

        void Tell(Member member, NodeChange change)
        {
            if (!member.HasRole(ClusterBootstrap.WorkerRole)) return;
            changed(new ClusterIncarnation(member.Address.ToString(), member.UniqueAddress.Uid), change);
        }
    }

    public static Props Props(Action<ClusterIncarnation, NodeChange> changed) => Akka.Actor.Props.Create(() => new MembershipWatcher(changed));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, InitialStateAsEvents, typeof(IMemberEvent), typeof(IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
