using Akka.Actor;
using Akka.Cluster.Sharding;
using Google.Protobuf;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Cluster.Sharding;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>
/// A worker written for the tests, talking as a real one does: gRPC Join over loopback, then a
/// node of its own in the coordinator's Akka cluster with its member region, whose postbox records every command and
/// every <see cref="LeaseEnded"/>; it sends what the test says when it says so.
/// </summary>
internal sealed class FakeWorker : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ActorSystem _system;
    private readonly IActorRef _postbox;
    private ICanTell? _gateway;
    private Task? _up;
    private long _epoch;
    private int _syncs;
    private int _ends;

    /// <param name="crashable">When true, <see cref="CrashAsync"/> ends the node without leaving the cluster, as a killed process does.</param>
    public FakeWorker(Uri coordinator, string id, int capacity, ClusterToken? token = null, bool crashable = false)
    {
        Id = id;
        Capacity = capacity;
        _channel = ClusterChannel.Open(coordinator, new ClusterChannelOptions { Token = token });
        _system = ClusterBootstrap.Create(new ClusterNodeOptions
        {
            Roles = [ClusterBootstrap.WorkerRole],
            Security = token is null ? ClusterSecurity.Open : new ClusterSecurity.Token(token),
            ExtraConfig = crashable ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off" : "",
        });
        _postbox = _system.ActorOf(Props.Create(() => new Postbox(this)), ClusterBootstrap.WorkerPostbox);
        var directory = new PostboxDirectory();
        directory.Register(id, _postbox);
        MemberSharding.StartWorkerRegion(_system, directory);
    }

    public string Id { get; }

    /// <summary>The member entities this node's region hosts, by shard (a lease epoch).</summary>
    public async Task<IReadOnlyDictionary<string, string[]>> HostedAsync()
    {
        var region = ClusterSharding.Get(_system).ShardRegion(MemberSharding.TypeName);
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        return state.Shards.ToDictionary(s => s.ShardId, s => s.EntityIds.Order(StringComparer.Ordinal).ToArray());
    }

    public int Capacity { get; }

    public Lease Lease { get; private set; } = new();

    public RunConfig Run { get; private set; } = new();

    public Signals<CoordinatorCommand> Commands { get; } = new(c => c.ToString());

    /// <summary>Every <see cref="LeaseEnded"/> the coordinator sent, numbered in arrival order.</summary>
    public Signals<Ending> Ends { get; } = new(e => $"{e.Index}: {e.Ended}");

    /// <summary>The next <see cref="LeaseEnded"/> after the last <see cref="OpenSessionAsync"/>.</summary>
    public Task<LeaseEnded> SessionEnded { get; private set; } = Task.FromResult(new LeaseEnded());

    public async Task<Lease> JoinAsync()
    {
        var node = Akka.Cluster.Cluster.Get(_system).SelfUniqueAddress;
        var request = new JoinRequest
        {
            WorkerId = Id, Capacity = Capacity, Address = $"{Id}:7071", Version = "test",
            ClusterAddress = node.Address.ToString(), ClusterUid = node.Uid,
        };
        request.Devices.Add(new Device { Name = "cpu", Kind = "cpu" });
        var response = await new Protocol.V1.Coordinator.CoordinatorClient(_channel).JoinAsync(request);
        Lease = response.Lease;
        Run = response.Run;
        var seed = Address.Parse(response.ClusterSeed);
        _gateway = _system.ActorSelection($"{seed}/user/{ClusterBootstrap.PopulationGateway}");
        _up ??= ClusterBootstrap.JoinAsync(_system, seed, TimeSpan.FromSeconds(20), TimeProvider.System);
        return Lease;
    }

    /// <summary>
    /// Becomes a cluster member (once), then sends under <paramref name="epoch"/> (the current
    /// lease's by default), starting with a heartbeat, as a worker does when its session opens.
    /// </summary>
    public async Task OpenSessionAsync(long? epoch = null)
    {
        await (_up ?? throw new InvalidOperationException("join first"));
        _epoch = epoch ?? Lease.Epoch;
        var after = Volatile.Read(ref _ends);
        SessionEnded = Ends.WaitForAsync(e => e.Index >= after && e.Ended.LeaseEpoch == _epoch, $"the end of lease {_epoch}").ContinueWith(t => t.Result.Ended, TaskScheduler.Default);
        await HeartbeatAsync(epoch);
    }

    public async Task JoinAndOpenAsync()
    {
        await JoinAsync();
        await OpenSessionAsync();
    }

    /// <summary>A heartbeat that lists <paramref name="running"/>, or, by default, what <see cref="Running"/> says, as a worker does.</summary>
    public Task HeartbeatAsync(long? epoch = null, IEnumerable<string>? running = null)
    {
        var beat = new Heartbeat { Epoch = epoch ?? Lease.Epoch };
        beat.MemberIds.AddRange(running ?? Running());
        return SendAsync(new WorkerMessage { Heartbeat = beat });
    }

    /// <summary>The members it was told to start and not told to stop since.</summary>
    public IReadOnlyList<string> Running()
    {
        var running = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var command in Commands.Items)
        {
            if (command.Start is { } start) running.Add(start.MemberId);
            else if (command.Stop is { } stop) running.Remove(stop.MemberId);
        }
        return [.. running];
    }

    public Task ReportAsync(string memberId, long epoch, long step, double validationLoss, double trainLoss = 1.0) =>
        SendAsync(new WorkerMessage
        {
            Report = new MemberReport
            {
                MemberId = memberId, Epoch = epoch, Step = step, TrainLoss = trainLoss,
                ValidationLoss = validationLoss, ValidationAccuracy = 1 - validationLoss / 10, ExamplesPerSecond = 100,
            },
        });

    public Task CheckpointAsync(string memberId, long epoch, long step, string? path = null) =>
        SendAsync(new WorkerMessage
        {
            Checkpoint = new CheckpointNotice
            {
                Epoch = epoch,
                Checkpoint = new CheckpointRef
                {
                    MemberId = memberId, Step = step, WorkerAddress = $"{Id}:7071", Path = path ?? $"/ckpt/{memberId}/{step}",
                    SizeBytes = 10, Sha256 = ByteString.CopyFrom(new byte[32]),
                },
            },
        });

    /// <summary>The drained worker's last message; the coordinator answers it with <see cref="LeaseEnded"/>.</summary>
    public Task DepartAsync(string reason = "drained") => SendAsync(new WorkerMessage { Departure = new Departure { Reason = reason } });

    /// <summary>Sends under the session's epoch (or the message's own, when it has one), from the postbox, as a worker does.</summary>
    public Task SendAsync(WorkerMessage message)
    {
        if (message.LeaseEpoch == 0) message.LeaseEpoch = _epoch;
        (_gateway ?? throw new InvalidOperationException("join first")).Tell(message, _postbox);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Returns once everything this worker sent before has been applied: a report for a member
    /// that does not exist comes back as a report_refused event, after all that preceded it (Akka
    /// keeps one sender's order, and the actor applies in arrival order).
    /// </summary>
    public async Task SyncAsync(EventWatcher events)
    {
        var marker = $"sync-{Id}-{Interlocked.Increment(ref _syncs)}";
        await ReportAsync(marker, 1, 0, 1);
        await events.WaitForAsync(e => e.Kind == "report_refused" && e.MemberId == marker, marker);
    }

    public Task<CoordinatorCommand> WaitForAsync(Func<CoordinatorCommand, bool> match, string what) =>
        Commands.WaitForAsync(match, $"{Id}: {what}");

    public Task<CoordinatorCommand> StartOfAsync(string memberId, long? epoch = null) =>
        WaitForAsync(c => c.Start is { } s && s.MemberId == memberId && (epoch is null || s.Epoch == epoch), $"start of {memberId}");

    /// <summary>Ends the node without leaving the cluster (made with <c>crashable</c>): the coordinator's failure detector must find out.</summary>
    public Task CrashAsync() => _system.Terminate();

    public async ValueTask DisposeAsync()
    {
        await _system.Terminate();
        _channel.Dispose();
    }

    private sealed class Postbox : ReceiveActor
    {
        public Postbox(FakeWorker worker)
        {
            Receive<CoordinatorCommand>(worker.Commands.Add);
            Receive<LeaseEnded>(ended => worker.Ends.Add(new Ending(Interlocked.Increment(ref worker._ends) - 1, ended)));
        }
    }

    /// <summary>A <see cref="LeaseEnded"/> and its place among those this worker received (a class: <see cref="Signals{T}"/> tells "none" by null).</summary>
    public sealed record Ending(int Index, LeaseEnded Ended);
}
