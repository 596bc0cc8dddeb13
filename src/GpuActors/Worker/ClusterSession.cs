using Akka.Actor;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// One lease's way to the coordinator: messages go to its population gateway over Akka.Remote,
/// each stamped with the lease epoch, sent as from this node's command postbox (so the gateway's
/// answers come back there). Akka keeps the order of one sender's messages, and the node sends
/// under its lock, so the coordinator sees them in the order the node decided them. Reports carry
/// their member's assignment epoch, stamped by the node.
/// </summary>
internal sealed class ClusterSession(Lease lease, TimeSpan heartbeatInterval, ICanTell gateway, IActorRef postbox)
{
    private volatile bool closed;

    public long Epoch => lease.Epoch;

    public TimeSpan HeartbeatInterval => heartbeatInterval;

    public void SendReport(MemberReport report) => Send(new WorkerMessage { Report = report });

    /// <summary>A checkpoint notice, stamped with its member's assignment epoch so the coordinator can fence stale ones.</summary>
    public void SendCheckpoint(CheckpointRef checkpoint, long memberEpoch) =>
        Send(new WorkerMessage { Checkpoint = new CheckpointNotice { Checkpoint = checkpoint, Epoch = memberEpoch } });

    public void SendHeartbeat(long sentUnixMs, IEnumerable<string> memberIds)
    {
        var heartbeat = new Heartbeat { Epoch = lease.Epoch, SentUnixMs = sentUnixMs };
        heartbeat.MemberIds.AddRange(memberIds);
        Send(new WorkerMessage { Heartbeat = heartbeat });
    }

    /// <summary>An exchange or exploit that failed and changed nothing on this worker.</summary>
    public void SendCommandFailed(CommandFailed failed) => Send(new WorkerMessage { CommandFailed = failed });

    /// <summary>A member that ended without being told to, or a start that could not be carried out.</summary>
    public void SendEnded(MemberEnded ended) => Send(new WorkerMessage { Ended = ended });

    /// <summary>The last message of a drained worker: the coordinator answers it with <see cref="LeaseEnded"/> once it has everything before it.</summary>
    public void SendDeparture(string reason)
    {
        Send(new WorkerMessage { Departure = new Departure { Reason = reason } });
        closed = true;
    }

    /// <summary>No more messages under this lease.</summary>
    public void Complete() => closed = true;

    private void Send(WorkerMessage message)
    {
        if (closed) return;
        message.LeaseEpoch = lease.Epoch;
        gateway.Tell(message, postbox);
    }
}
