using System.Threading.Channels;
using Akka.Actor;
using Google.Protobuf;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// The actor on a worker's cluster node that takes the coordinator's commands (<c>/user/worker</c>):
/// Drain and <see cref="LeaseEnded"/> straight from the coordinator, members' commands from their
/// sharded entities (MemberEntity); all go into the session's queue, which the node reads in
/// order once it knows its lease (a command may arrive before the Join's answer does).
/// </summary>
internal sealed class CommandPostbox : ReceiveActor
{
    public CommandPostbox(ChannelWriter<IMessage> inbox)
    {
        Receive<CoordinatorCommand>(command => inbox.TryWrite(command));
        Receive<LeaseEnded>(ended => inbox.TryWrite(ended));
    }

    public static Props Props(ChannelWriter<IMessage> inbox) => Akka.Actor.Props.Create(() => new CommandPostbox(inbox));
}
