using Akka.Actor;
using Akka.Event;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Cluster.Sharding;

/// <summary>
/// A member as a Cluster.Sharding entity: its presence on the node of the lease it runs under.
/// Commands for it arrive here in the order the coordinator sent them and go on to the worker's
/// command queue, where the member's own actor (on the worker's member system, which outlives a
/// cluster node) carries them out between steps.
/// </summary>
public sealed class MemberEntity : ReceiveActor
{
    public MemberEntity(PostboxDirectory directory)
    {
        var log = Context.GetLogger();
        Receive<CoordinatorCommand>(command =>
        {
            if (directory.Find(command.WorkerId) is { } postbox)
            {
                postbox.Tell(command, Sender);
                return;
            }

            // Not for a worker of this node: the lease's node was reused by another worker, which
            // the coordinator's fencing already refuses.
            log.Warning("Command {0} for member {1} names worker '{2}', which has no postbox on this node; dropped.",
                command.Sequence, Self.Path.Name, command.WorkerId);
        });
    }

    public static Props Props(PostboxDirectory directory) => Akka.Actor.Props.Create(() => new MemberEntity(directory));
}
