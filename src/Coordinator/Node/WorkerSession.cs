using System.Runtime.ExceptionServices;
using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// One worker's Session stream (docs/coordinator.md, "What a worker sends"). The first message
/// must be a heartbeat: its epoch names the lease, and so the worker. Then a reader hands
/// heartbeats to the registry and reports and notices to the population actor, while a writer
/// sends the lease's queued commands. The session ends with FAILED_PRECONDITION when the lease
/// is fenced (the worker must join again), normally when the worker half-closes (failure
/// detection, not the stream, decides whether it is gone), or after a drain once the worker
/// has sent its last.
/// </summary>
internal sealed class WorkerSession(PopulationActor actor, TimeProvider time)
{
    /// <param name="token">The call's own token (the worker went away, or Kestrel gave up on it).</param>
    /// <param name="stopping">The host is stopping: a session ends at once, unless its worker is draining and still owes its last checkpoint notices.</param>
    public async Task RunAsync(IAsyncStreamReader<WorkerMessage> requests, IServerStreamWriter<CoordinatorCommand> responses, CancellationToken token, CancellationToken stopping)
    {
        using var call = CancellationTokenSource.CreateLinkedTokenSource(token, stopping);
        if (!await requests.MoveNext(call.Token)) return;
        var first = requests.Current;
        if (first.BodyCase != WorkerMessage.BodyOneofCase.Heartbeat)
            throw Fenced("A session must start with a heartbeat carrying the lease epoch from Join.");
        var epoch = first.Heartbeat.Epoch;
        var link = actor.FindLink(epoch) ?? throw Fenced($"Lease epoch {epoch} was not issued by this coordinator; join it first.");
        if (!link.TryAttach()) throw Fenced($"Lease {link.Lease.LeaseId} already has a session.");
        try
        {
            Beat(link, epoch);
            await ServeAsync(link, requests, responses, token, stopping);
        }
        finally
        {
            link.Detach();
        }
    }

    private async Task ServeAsync(WorkerLink link, IAsyncStreamReader<WorkerMessage> requests, IServerStreamWriter<CoordinatorCommand> responses, CancellationToken token, CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        // A coordinator that stops as soon as its run completes still lets drained workers
        // send their final notices (Kestrel's shutdown timeout bounds the wait).
        using var onStopping = stopping.Register(() =>
        {
            if (!link.Draining) stop.Cancel();
        });
        var reading = ReadAsync(link, requests, stop.Token);
        var writing = WriteAsync(link, responses, stop.Token);
        if (await Task.WhenAny(reading, writing) == writing && writing.IsCompletedSuccessfully)
        {
            // Drained: the worker checkpoints its members and says so before it half-closes.
            await reading;
            return;
        }
        await stop.CancelAsync();
        await Task.WhenAll(reading, writing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // The fence (or a bad message) is the session's status; cancellation after the reader
        // ended normally is only how the writer was stopped.
        if ((Failure(writing) ?? Failure(reading)) is { } failure) ExceptionDispatchInfo.Throw(failure);
        stop.Token.ThrowIfCancellationRequested();
    }

    private async Task ReadAsync(WorkerLink link, IAsyncStreamReader<WorkerMessage> requests, CancellationToken token)
    {
        while (await requests.MoveNext(token))
        {
            var message = requests.Current;
            switch (message.BodyCase)
            {
                case WorkerMessage.BodyOneofCase.Heartbeat:
                    Beat(link, message.Heartbeat.Epoch);
                    await actor.PostAsync(new HeartbeatReceived(link, [.. message.Heartbeat.MemberIds], time.GetUtcNow()), token);
                    break;
                case WorkerMessage.BodyOneofCase.Report:
                    var report = WireInput.Report(message.Report, link.WorkerId, time.GetUtcNow());
                    await actor.PostAsync(new ReportReceived(link, report, message.Report), token);
                    break;
                case WorkerMessage.BodyOneofCase.Checkpoint:
                    var notice = WireInput.Notice(message.Checkpoint, link.WorkerId, time.GetUtcNow());
                    await actor.PostAsync(new NoticeReceived(link, notice), token);
                    break;
                default:
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "A worker message must carry a report, a heartbeat or a checkpoint notice."));
            }
        }
    }

    private static async Task WriteAsync(WorkerLink link, IServerStreamWriter<CoordinatorCommand> responses, CancellationToken token)
    {
        var commands = link.Commands;
        // ConfigureAwait(false): resumed on the actor's thread (see WorkerLink), this loop must
        // not capture its context and keep running there.
        while (await commands.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (commands.TryRead(out var command)) await responses.WriteAsync(command, token).ConfigureAwait(false);
        }
        if (link.Fence is { } fence) throw fence;
    }

    // A heartbeat under any epoch but the lease's live one ends the session: the worker was
    // fenced (replaced by its own rejoin, or declared down) and must join again.
    private void Beat(WorkerLink link, long epoch)
    {
        if (epoch != link.Epoch) throw Fenced($"A heartbeat under epoch {epoch} came on the session of lease {link.Lease.LeaseId}; join again.");
        var admission = actor.Heartbeat(link, epoch);
        if (admission.IsAccepted) return;
        var status = new Status(StatusCode.FailedPrecondition, admission.Describe());
        link.Close(status);
        throw new RpcException(status);
    }

    private static Exception? Failure(Task task) =>
        task.Exception?.InnerException is { } e and not OperationCanceledException ? e : null;

    private static RpcException Fenced(string message) => new(new Status(StatusCode.FailedPrecondition, message));
}
