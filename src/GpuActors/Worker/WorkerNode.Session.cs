using System.Threading.Channels;
using Akka.Actor;
using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Cluster.Sharding;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.GpuActors.Worker;

// One session: a fresh node in the Akka cluster (role worker) with its member region, a gRPC
// Join that names it, the cluster join through the seed the coordinator gave, then commands read
// from the node's postbox (members' commands reach it through their entities) and heartbeats listing the running members, until the lease ends (LeaseEnded), the
// cluster downs this node, or the worker is drained.
public sealed partial class WorkerNode
{
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(1);

    // How long a drained worker waits for the coordinator to confirm its departure (its answer
    // proves every notice before it arrived).
    private static readonly TimeSpan DepartureAllowance = TimeSpan.FromSeconds(10);

    // One session: throws the RpcException that broke it when it broke before it was healthy
    // (so the caller backs off), returns when it was drained or had been up a heartbeat interval.
    private async ValueTask ConnectAsync(Protocol.V1.Coordinator.CoordinatorClient coordinator, CancellationToken cancellationToken)
    {
        var inbox = Channel.CreateUnbounded<IMessage>(new UnboundedChannelOptions { SingleReader = true });
        var system = ClusterBootstrap.Create(options.EffectiveCluster);
        try
        {
            var postbox = system.ActorOf(CommandPostbox.Props(inbox.Writer), ClusterBootstrap.WorkerPostbox);
            // Members' commands come through their entities in this node's region (MemberSharding).
            var directory = new PostboxDirectory();
            directory.Register(options.WorkerId, postbox);
            var cluster = Akka.Cluster.Cluster.Get(system);
            var response = await coordinator.JoinAsync(JoinRequest(cluster.SelfUniqueAddress), cancellationToken: cancellationToken).ConfigureAwait(false);
            // The region only once the coordinator answered, still before this node joins its
            // cluster (nothing reaches a region before then): started on every refused attempt,
            // its shard coordinator's singleton manager could start after the node had already
            // shut down, and Akka logged that as an error with a stack trace.
            MemberSharding.StartWorkerRegion(system, directory);
            var seed = Akka.Actor.Address.Parse(response.ClusterSeed);
            var lease = response.Lease ?? new Lease();
            await JoinClusterAsync(cluster, seed, lease, cancellationToken).ConfigureAwait(false);
            var session = new ClusterSession(lease, lease.HeartbeatIntervalMs > 0 ? TimeSpan.FromMilliseconds(lease.HeartbeatIntervalMs) : DefaultHeartbeat,
                system.ActorSelection($"{seed}/user/{ClusterBootstrap.PopulationGateway}"), postbox);
            var broken = await HoldSessionAsync(session, response, inbox.Reader, system.WhenTerminated, cancellationToken).ConfigureAwait(false);
            if (broken is not null) throw broken;
        }
        finally
        {
            // Leaves the cluster (gracefully when still a member) and ends the node; a downed node has ended already.
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).ConfigureAwait(false);
            await system.WhenTerminated.ConfigureAwait(false);
        }
    }

    private JoinRequest JoinRequest(Akka.Cluster.UniqueAddress node)
    {
        var request = new JoinRequest
        {
            WorkerId = options.WorkerId,
            Capacity = options.SlotCount,
            Version = options.Version,
            Address = Address,
            ClusterAddress = node.Address.ToString(),
            ClusterUid = node.Uid,
        };
        request.Devices.AddRange(devices.Select(d => new Device { Name = d, Kind = d == "cpu" ? "cpu" : "cuda", MemoryBytes = DeviceMemory(d) }));
        return request;
    }

    // The lease lasts only if this node becomes a member in time; a node that cannot (the seed
    // unreachable over Akka.Remote, or a TLS handshake refused for want of the cluster's token)
    // fails the session like an unreachable coordinator does.
    private async Task JoinClusterAsync(Akka.Cluster.Cluster cluster, Akka.Actor.Address seed, Lease lease, CancellationToken cancellationToken)
    {
        var within = lease.TtlMs > 0 ? TimeSpan.FromMilliseconds(lease.TtlMs) : TimeSpan.FromSeconds(15);
        try
        {
            await ClusterBootstrap.JoinAsync(cluster.System, seed, within, options.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable,
                $"joined the coordinator but not its cluster at {seed} within {within.TotalSeconds:G4} s: check that this node reaches that address and holds the cluster's token or certificate."));
        }
    }

    private async Task<RpcException?> HoldSessionAsync(ClusterSession session, JoinResponse response, ChannelReader<IMessage> inbox, Task terminated, CancellationToken cancellationToken)
    {
        using var stop = new CancellationTokenSource();
        using var departure = new CancellationTokenSource();
        var opened = options.Time.GetTimestamp();
        Attach(session, response);
        logger.LogInformation("Joined {Coordinator}: lease {Lease}, epoch {Epoch}, cluster {Seed}.", options.Coordinator, response.Lease?.LeaseId, session.Epoch, response.ClusterSeed);
        options.OnJoined?.Invoke(response);

        var reading = ReadAsync(inbox, session, departure, stop.Token);
        var beating = HeartbeatAsync(session, stop.Token);
        // Told to stop (SIGTERM, Ctrl+C) while connected: leave as a drained worker does, so the
        // coordinator registers every member's final checkpoint before this node goes.
        var leaving = Task.CompletedTask;
        using (cancellationToken.Register(() => leaving = LeaveAsync(session, departure)))
        {
            var first = await Task.WhenAny(reading, terminated).ConfigureAwait(false);
            return await EndSessionAsync(session, stop, reading, beating, leaving, first == terminated, opened, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RpcException?> EndSessionAsync(ClusterSession session, CancellationTokenSource stop, Task reading, Task beating, Task leaving, bool downed, long opened, CancellationToken cancellationToken)
    {
        Detach(session);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(reading, beating, leaving).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (drained) return null;

        var broken = downed
            ? new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "the cluster downed this node (the coordinator was unreachable from it)."))
            : reading.Exception?.InnerException as RpcException ?? new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "the coordinator ended the session."));
        if (reading.Exception?.InnerException is { } bug and not RpcException) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(bug);
        logger.LogWarning("Session with {Coordinator} ended ({Status}); members keep training.", options.Coordinator, broken.Status.Describe());
        var healthy = options.Time.GetElapsedTime(opened) >= session.HeartbeatInterval;
        return healthy ? null : broken;
    }

    // The session becomes the one messages go to: a heartbeat under the new lease epoch, then
    // what the coordinator may have missed while there was none: each running member's last
    // checkpoint and report, and the final checkpoint of members that ended meanwhile.
    private void Attach(ClusterSession session, JoinResponse response)
    {
        lock (gate)
        {
            joined = response;
            link = session;
            Interlocked.Exchange(ref leaseEpoch, session.Epoch);
            SendHeartbeat(session);
            foreach (var member in members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal))
            {
                if (!member.IsActive && !member.FinalNoticeOwed && member.EndNotice is null) continue;
                if (member.LastCheckpoint is { } checkpoint) session.SendCheckpoint(checkpoint, member.Epoch);
                if (member.IsActive && member.LatestReport is { } report) session.SendReport(report);
                if (member.EndNotice is { } ended) session.SendEnded(ended);
                member.EndNotice = null;
                member.FinalNoticeOwed = false;
            }
        }
    }

    private void Detach(ClusterSession session)
    {
        lock (gate)
        {
            if (link == session) link = null;
        }

        session.Complete();
    }

    // Under the lock: the running members as of now.
    private void SendHeartbeat(ClusterSession session) =>
        session.SendHeartbeat(
            options.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            members.Values.Where(m => m.IsActive).Select(m => m.MemberId).Order(StringComparer.Ordinal));

    private async Task HeartbeatAsync(ClusterSession session, CancellationToken cancellationToken)
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

    // Commands run one after another, so each member sees them in the coordinator's order. The
    // session ends when the coordinator ends the lease: at once with its reason, or, once drained,
    // when it confirms the departure (or the allowance for that runs out).
    private async Task ReadAsync(ChannelReader<IMessage> inbox, ClusterSession session, CancellationTokenSource departure, CancellationToken cancellationToken)
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(departure.Token, cancellationToken);
        while (true)
        {
            IMessage message;
            try
            {
                message = await inbox.ReadAsync(reading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (drained && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("The coordinator did not confirm this worker's departure within {Seconds} s.", DepartureAllowance.TotalSeconds);
                return;
            }

            switch (message)
            {
                case LeaseEnded ended when ended.LeaseEpoch == session.Epoch:
                    if (drained) return;
                    throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition, ended.Reason));
                case CoordinatorCommand command when command.LeaseEpoch == session.Epoch && !drained:
                    await ExecuteAsync(command, session).ConfigureAwait(false);
                    if (drained) departure.CancelAfter(DepartureAllowance);
                    break;
                default:
                    // For an earlier lease of this node (it arrived late), or after the drain: moot.
                    break;
            }
        }
    }

    // A worker told to stop while connected: no more commands, every member finishes its step
    // and checkpoints (the final notices go out), then the departure, which the coordinator
    // answers once it has everything before it (ReadAsync waits for that, up to the allowance;
    // a coordinator stopping at the same moment never answers).
    private async Task LeaveAsync(ClusterSession session, CancellationTokenSource departure)
    {
        drained = true;
        await StopMembersAsync("the worker is shutting down").ConfigureAwait(false);
        lock (gate)
        {
            session.SendDeparture("the worker is shutting down");
        }

        departure.CancelAfter(DepartureAllowance);
    }
}
