using System.Threading.Channels;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>One Session stream held by a worker, seen from the coordinator's side.</summary>
internal sealed class FakeSession(long epoch)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TaskCompletionSource drop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long sequence;

    /// <summary>The lease epoch handed out by the join that preceded this session.</summary>
    public long Epoch => epoch;

    /// <summary>Every message the worker sent on this stream; completes when the stream ends.</summary>
    public Channel<WorkerMessage> Received { get; } = Channel.CreateUnbounded<WorkerMessage>();

    public Channel<CoordinatorCommand> Commands { get; } = Channel.CreateUnbounded<CoordinatorCommand>();

    public Task DropRequested => drop.Task;

    public void Send(CoordinatorCommand command)
    {
        command.Sequence = Interlocked.Increment(ref sequence);
        Commands.Writer.TryWrite(command);
    }

    /// <summary>Ends the stream with UNAVAILABLE, as a crashed coordinator or a cut network would.</summary>
    public void Drop() => drop.TrySetResult();

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

    /// <summary>Completes when the worker has half-closed the stream (every message read).</summary>
    public Task EndedAsync() => Received.Reader.Completion.WaitAsync(Patience);
}
