using System.Runtime.ExceptionServices;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.GpuActors.Worker;

// Join, then one Session stream: a writer draining the session's queue, a heartbeat timer, and
// a reader executing commands. The first of reader and writer to end ends the session.
public sealed partial class WorkerNode
{
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(1);

    // One connection: throws the RpcException that broke it when it broke before it was healthy
    // (so the caller backs off), returns when it was drained or had been up a heartbeat interval.
    private async ValueTask ConnectAsync(Protocol.V1.Coordinator.CoordinatorClient coordinator, CancellationToken cancellationToken)
    {
        var response = await coordinator.JoinAsync(JoinRequest(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var broken = await HoldSessionAsync(coordinator, response, cancellationToken).ConfigureAwait(false);
        if (broken is not null) throw broken;
    }

    private JoinRequest JoinRequest()
    {
        var request = new JoinRequest { WorkerId = options.WorkerId, Capacity = options.SlotCount, Version = options.Version, Address = Address };
        request.Devices.AddRange(devices.Select(d => new Device { Name = d, Kind = d == "cpu" ? "cpu" : "cuda", MemoryBytes = DeviceMemory(d) }));
        return request;
    }

    private async Task<RpcException?> HoldSessionAsync(Protocol.V1.Coordinator.CoordinatorClient coordinator, JoinResponse response, CancellationToken cancellationToken)
    {
        var lease = response.Lease ?? new Lease();
        var session = new SessionLink(lease, lease.HeartbeatIntervalMs > 0 ? TimeSpan.FromMilliseconds(lease.HeartbeatIntervalMs) : DefaultHeartbeat);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var call = coordinator.Session(cancellationToken: stop.Token);
        var opened = options.Time.GetTimestamp();
        Attach(session, response);
        logger.LogInformation("Joined {Coordinator}: lease {Lease}, epoch {Epoch}.", options.Coordinator, lease.LeaseId, lease.Epoch);
        options.OnJoined?.Invoke(response);

        var writing = WriteAsync(call.RequestStream, session, stop.Token);
        var reading = ReadAsync(call.ResponseStream, session, stop.Token);
        var beating = HeartbeatAsync(session, stop.Token);
        var first = await Task.WhenAny(reading, writing).ConfigureAwait(false);

        // Drained: the writer is sending the members' final checkpoint notices; let it finish,
        // then let the coordinator end the call. Cancelling it at once would reset the stream, and
        // the server drops request messages it has not read yet: under load the last notices were lost.
        if (drained)
        {
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (writing.IsCompletedSuccessfully) await ServerEndAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false);
        }
        Detach(session);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(reading, writing, beating).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (drained && writing.IsCompletedSuccessfully) return null;

        var failure = Failure(first) ?? Failure(writing) ?? Failure(reading) ?? Failure(beating);
        if (failure is not null and not RpcException) ExceptionDispatchInfo.Throw(failure); // a bug, not the network
        var broken = failure as RpcException ?? new RpcException(new Status(StatusCode.Unavailable, "the coordinator ended the session."));
        logger.LogWarning("Session with {Coordinator} ended ({Status}); members keep training.", options.Coordinator, broken.Status.Describe());

        // A drained worker whose final notices did not get out must come back to send them.
        var healthy = !drained && options.Time.GetElapsedTime(opened) >= session.HeartbeatInterval;
        return healthy ? null : broken;
    }

    // Reads what is left of the coordinator's side until it ends the call, for at most the
    // coordinator's own shutdown allowance. How it ends (OK, a status, or that allowance running
    // out) changes nothing: the notices were sent, and the session is over either way.
    private static async Task ServerEndAsync(IAsyncStreamReader<CoordinatorCommand> commands, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            while (await commands.MoveNext(limit.Token).ConfigureAwait(false))
            {
                // Nothing follows a drain; anything that does is moot.
            }
        }
        catch (RpcException)
        {
            // The coordinator ended the call with a status: ended all the same.
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // It did not end the call in time; the caller cancels it now.
        }
    }

    private static Exception? Failure(Task task) => task.Exception?.InnerException is { } e and not OperationCanceledException ? e : null;

    // The session becomes the one messages go to: a heartbeat under the new lease epoch, then
    // what the coordinator may have missed while there was none: each running member's last
    // checkpoint and report, and the final checkpoint of members that ended meanwhile.
    private void Attach(SessionLink session, JoinResponse response)
    {
        lock (gate)
        {
            joined = response;
            link = session;
            Interlocked.Exchange(ref leaseEpoch, session.Epoch);
            SendHeartbeat(session);
            foreach (var member in members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal))
            {
                if (!member.IsActive && !member.FinalNoticeOwed) continue;
                if (member.LastCheckpoint is { } checkpoint) session.SendCheckpoint(checkpoint, member.Epoch);
                if (member.IsActive && member.LatestReport is { } report) session.SendReport(report);
                member.FinalNoticeOwed = false;
            }

            if (drained) session.Complete();
        }
    }

    private void Detach(SessionLink session)
    {
        lock (gate)
        {
            if (link == session) link = null;
        }

        session.Complete();
    }

    // Under the lock: the running members as of now.
    private void SendHeartbeat(SessionLink session) =>
        session.SendHeartbeat(
            options.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            members.Values.Where(m => m.IsActive).Select(m => m.MemberId).Order(StringComparer.Ordinal));

    private static async Task WriteAsync(IClientStreamWriter<WorkerMessage> requests, SessionLink session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in session.Outgoing.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await requests.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }

            await requests.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // Grpc.Net.Client raises a connection the server closed under a write or the
            // half-close as HttpIOException, not as a status: it is the network, typed here once.
            throw new RpcException(new Status(StatusCode.Unavailable, $"the connection to the coordinator closed: {e.Message}", e));
        }
    }

    private async Task HeartbeatAsync(SessionLink session, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(session.HeartbeatInterval, options.Time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (gate)
            {
                SendHeartbeat(session);
            }
        }
    }

    // Commands run one after another, so each member sees them in the coordinator's order.
    private async Task ReadAsync(IAsyncStreamReader<CoordinatorCommand> commands, SessionLink session, CancellationToken cancellationToken)
    {
        while (await commands.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            await ExecuteAsync(commands.Current, session).ConfigureAwait(false);
            if (drained) return;
        }
    }
}
