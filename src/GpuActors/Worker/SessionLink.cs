using System.Threading.Channels;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// One Session stream's outgoing side: messages queue here (from the event loop, the heartbeat
/// timer, the resend after a rejoin) and one writer sends them in order. Heartbeats carry this
/// session's lease epoch; reports carry their member's assignment epoch, stamped by the node.
/// </summary>
internal sealed class SessionLink(Lease lease, TimeSpan heartbeatInterval)
{
    private readonly Channel<WorkerMessage> outgoing = Channel.CreateUnbounded<WorkerMessage>(new UnboundedChannelOptions { SingleReader = true });

    public long Epoch => lease.Epoch;

    public TimeSpan HeartbeatInterval => heartbeatInterval;

    public ChannelReader<WorkerMessage> Outgoing => outgoing.Reader;

    public void SendReport(MemberReport report) => outgoing.Writer.TryWrite(new WorkerMessage { Report = report });

    /// <summary>A checkpoint notice, stamped with its member's assignment epoch so the coordinator can fence stale ones.</summary>
    public void SendCheckpoint(CheckpointRef checkpoint, long memberEpoch) =>
        outgoing.Writer.TryWrite(new WorkerMessage { Checkpoint = new CheckpointNotice { Checkpoint = checkpoint, Epoch = memberEpoch } });

    public void SendHeartbeat(long sentUnixMs, IEnumerable<string> memberIds)
    {
        var heartbeat = new Heartbeat { Epoch = Epoch, SentUnixMs = sentUnixMs };
        heartbeat.MemberIds.AddRange(memberIds);
        outgoing.Writer.TryWrite(new WorkerMessage { Heartbeat = heartbeat });
    }

    /// <summary>No more messages: the writer sends what is queued, then half-closes.</summary>
    public void Complete() => outgoing.Writer.TryComplete();
}
