using HyperSwarm.GpuActors.Checkpoints;
using System.Threading.Channels;
using Akka.Actor;
using HyperSwarm.GpuActors.Training;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// A worker node (DESIGN.md §3 steps 2–4): serves the Worker service, joins the coordinator
/// (gRPC Join, then its Akka cluster with the role <c>worker</c>), sends reports, heartbeats and
/// checkpoint notices to the coordinator's population gateway and takes commands in its postbox
/// (Akka.Remote, protobuf), and runs one <see cref="MemberActor"/> per member it is told to start.
/// Members live in a local actor system of their own, so they train on whether or not the
/// coordinator is reachable: when the lease ends or the cluster downs this node, the worker joins
/// again with backoff as a fresh cluster node under a new lease epoch, and each running member's
/// latest report (carrying its assignment epoch from <c>StartMember</c>) and checkpoint are sent again.
/// </summary>
public sealed partial class WorkerNode : IAsyncDisposable
{
    private readonly WorkerNodeOptions options;
    private readonly ILogger logger;
    private readonly CheckpointRoot root;
    private readonly CheckpointFetcher fetcher;
    private readonly ActorSystem actors;
    private readonly Channel<MemberEvent> events = Channel.CreateUnbounded<MemberEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task pump;
    private readonly string[] devices;
    private readonly long startedAt;
    private readonly object gate = new();
    private readonly Dictionary<string, MemberEntry> members = new(StringComparer.Ordinal);
    private GrpcHost? server;
    private CheckpointLocator? locator;
    private ClusterSession? link;
    private JoinResponse? joined;
    private long leaseEpoch;
    private volatile bool drained;
    private int disposed;
    private long spawned;

    /// <summary>Creates the node; nothing listens or connects until <see cref="RunAsync"/>.</summary>
    public WorkerNode(WorkerNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        logger = options.LoggerFactory.CreateLogger<WorkerNode>();
        root = new CheckpointRoot(options.CheckpointRoot);
        fetcher = new CheckpointFetcher(options.Token);
        devices = options.Devices.Select(d => TrainingDevice.Resolve(d).ToString()).ToArray();
        startedAt = options.Time.GetTimestamp();
        actors = WorkerActorSystem.Create();
        pump = Task.Run(PumpAsync);
    }

    /// <summary>The Worker service's address as other workers are told it (<c>host:port</c>); empty until started.</summary>
    public string Address { get; private set; } = string.Empty;

    /// <summary>The fencing epoch of the current (or last) lease; 0 before the first join.</summary>
    public long LeaseEpoch => Interlocked.Read(ref leaseEpoch);

    /// <summary>The folder members train in.</summary>
    public CheckpointRoot CheckpointRoot => root;

    /// <summary>Starts the Worker service (checkpoint streaming, status); <see cref="RunAsync"/> does it when needed.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (server is not null) return;
        var service = new WorkerService(root, Status);
        server = new GrpcHost(new GrpcHostOptions
        {
            Endpoint = options.ServiceEndpoint,
            Token = options.Token,
            LoggerFactory = options.LoggerFactory,
        }).AddService(service);
        options.ConfigureHost?.Invoke(server);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        Address = options.AdvertisedAddress ?? $"{server.Address.Host}:{server.Address.Port}";
        locator = new CheckpointLocator(root, Address, fetcher);
    }

    /// <summary>
    /// Joins and serves the coordinator until it drains this worker (then returns) or
    /// <paramref name="cancellationToken"/> fires (then throws <see cref="OperationCanceledException"/>).
    /// Either way every member is stopped with a checkpoint first. An unreachable coordinator is
    /// retried for ever; a status retrying cannot fix (<see cref="ReconnectPolicy.IsRetryable"/>)
    /// ends the run with its <see cref="RpcException"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        using var channel = ClusterChannel.Open(options.Coordinator, new ClusterChannelOptions { Token = options.Token, LoggerFactory = options.LoggerFactory });
        var coordinator = new Protocol.V1.Coordinator.CoordinatorClient(channel);
        var reconnect = options.Reconnect.Build(options.Time, logger, options.OnUnreachable);
        try
        {
            while (!drained)
            {
                // A session that was up for a while ends the retry sequence, so the next
                // connection starts again from the shortest backoff.
                await reconnect.ExecuteAsync(ct => ConnectAsync(coordinator, ct), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await StopMembersAsync("the worker is leaving").ConfigureAwait(false);
        }
    }

    /// <summary>The worker's devices and members, as the Worker service's <c>Status</c> answers.</summary>
    public WorkerStatus Status()
    {
        var status = new WorkerStatus
        {
            WorkerId = options.WorkerId,
            Version = options.Version,
            UptimeMs = (long)options.Time.GetElapsedTime(startedAt).TotalMilliseconds,
        };
        lock (gate)
        {
            foreach (var device in devices)
            {
                var slot = new DeviceStatus { Name = device, MemoryTotalBytes = DeviceMemory(device) };
                slot.MemberIds.AddRange(members.Values.Where(m => m.IsActive && m.Device == device).Select(m => m.MemberId).Order(StringComparer.Ordinal));
                status.Devices.Add(slot);
            }

            status.Members.AddRange(members.Values.OrderBy(m => m.MemberId, StringComparer.Ordinal).Select(m => m.ToMember(options.WorkerId)));
        }

        return status;
    }

    /// <summary>
    /// Stops every member (each checkpoints before its next step), the actor system, the
    /// service and the event loop. Cancel <see cref="RunAsync"/> and let it end first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await StopMembersAsync("the worker is shutting down").ConfigureAwait(false);
        await CoordinatedShutdown.Get(actors).Run(CoordinatedShutdown.ActorSystemTerminateReason.Instance).ConfigureAwait(false);
        await actors.WhenTerminated.ConfigureAwait(false);
        events.Writer.TryComplete();
        await pump.ConfigureAwait(false);
        if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
        fetcher.Dispose();
    }

    private static long DeviceMemory(string device) => device == "cpu" ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : 0;

    private async Task StopMembersAsync(string reason)
    {
        MemberEntry[] active;
        lock (gate)
        {
            active = members.Values.Where(m => m.IsActive).ToArray();
            foreach (var member in active) member.Stopping = true;
        }

        foreach (var member in active) member.Actor.Tell(new MemberMessage.Stop(reason), ActorRefs.NoSender);
        await Task.WhenAll(active.Select(m => m.Ended.Task)).ConfigureAwait(false);
    }

}
