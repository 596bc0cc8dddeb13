using System.Threading.Channels;
using Akka.Actor;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>One lease held by a worker, seen from the coordinator's side: what it sent under the lease, and commands to its postbox.</summary>
internal sealed class FakeSession(long epoch, ICanTell postbox)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private long sequence;

    /// <summary>The lease epoch handed out by the join.</summary>
    public long Epoch => epoch;

    /// <summary>Every message the worker sent under this lease; completes at its departure.</summary>
    public Channel<WorkerMessage> Received { get; } = Channel.CreateUnbounded<WorkerMessage>();

    public void Send(CoordinatorCommand command)
    {
        command.Sequence = Interlocked.Increment(ref sequence);
        command.LeaseEpoch = epoch;
        postbox.Tell(command, ActorRefs.NoSender);
    }

    /// <summary>Ends the lease, as a restarting coordinator or a fence does: the worker must join again.</summary>
    public void Drop() => postbox.Tell(new LeaseEnded { LeaseEpoch = epoch, Reason = "the test dropped the session" }, ActorRefs.NoSender);

    /// <summary>The next message that satisfies <paramref name="match"/>; earlier ones are consumed.</summary>
    public async Task<WorkerMessage> NextAsync(Func<WorkerMessage, bool> match)
    {
        while (true)
        {
            var message = await Received.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            if (match(message)) return message;
        }
    }

    public async Task<MemberReport> NextReportAsync(string memberId, Func<MemberReport, bool>? match = null) =>
        (await NextAsync(m => m.Report?.MemberId == memberId && (match is null || match(m.Report)))).Report;

    public async Task<CheckpointRef> NextCheckpointAsync(string memberId) =>
        (await NextAsync(m => m.Checkpoint?.Checkpoint?.MemberId == memberId)).Checkpoint.Checkpoint;

    public async Task<Heartbeat> NextHeartbeatAsync() => (await NextAsync(m => m.Heartbeat is not null)).Heartbeat;

    /// <summary>Completes when the worker has departed (every message read).</summary>
    public Task EndedAsync() => Received.Reader.Completion.WaitAsync(Patience);
}
