using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka.Actor;
using Grpc.Core;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>
/// The coordinator as a worker sees it, driven by the test: the gRPC Join on loopback (leases
/// with rising epochs; it can refuse the next joins as a restarting coordinator would) and a
/// seed node of an Akka cluster whose population gateway hands each lease's messages to its
/// <see cref="FakeSession"/>, through which the test commands the worker and ends the lease.
/// </summary>
internal sealed class FakeCoordinator : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly GrpcHost server;
    private readonly ActorSystem cluster;
    private readonly Channel<FakeSession> sessions = Channel.CreateUnbounded<FakeSession>();
    private readonly ConcurrentDictionary<long, FakeSession> byEpoch = new();
    private long epoch;
    private int failJoins;
    private int joinAttempts;

    private FakeCoordinator()
    {
        server = new GrpcHost(new GrpcHostOptions()).AddService(new Service(this));
        cluster = ClusterBootstrap.Create(new ClusterNodeOptions { Roles = [ClusterBootstrap.CoordinatorRole] });
        cluster.ActorOf(Props.Create(() => new Gateway(this)), ClusterBootstrap.PopulationGateway);
    }

    public Uri Address => server.Address;

    /// <summary>Every successful join, in order.</summary>
    public Channel<JoinRequest> Joins { get; } = Channel.CreateUnbounded<JoinRequest>();

    /// <summary>The run every join is answered with.</summary>
    public RunConfig Run { get; set; } = new() { RunId = "run-1", ConfigYaml = "seed: 3\n" };

    /// <summary>Join calls received, refused ones included.</summary>
    public int JoinAttempts => Volatile.Read(ref joinAttempts);

    public static async Task<FakeCoordinator> StartAsync()
    {
        var coordinator = new FakeCoordinator();
        await ClusterBootstrap.JoinAsync(coordinator.cluster, Akka.Cluster.Cluster.Get(coordinator.cluster).SelfAddress, TimeSpan.FromSeconds(30), TimeProvider.System);
        await coordinator.server.StartAsync();
        return coordinator;
    }

    /// <summary>The next <paramref name="count"/> joins fail with UNAVAILABLE.</summary>
    public void FailNextJoins(int count) => Volatile.Write(ref failJoins, count);

    /// <summary>The lease of the next successful join, as a session to command.</summary>
    public async Task<FakeSession> NextSessionAsync() => await sessions.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        await cluster.Terminate();
    }

    private Task<JoinResponse> JoinAsync(JoinRequest request)
    {
        Interlocked.Increment(ref joinAttempts);
        if (Interlocked.Decrement(ref failJoins) >= 0) throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "the coordinator is restarting"));
        var next = Interlocked.Increment(ref epoch);
        var session = new FakeSession(next, cluster.ActorSelection($"{request.ClusterAddress}/user/{ClusterBootstrap.WorkerPostbox}"));
        byEpoch[next] = session;
        Joins.Writer.TryWrite(request);
        sessions.Writer.TryWrite(session);
        return Task.FromResult(new JoinResponse
        {
            Lease = new Lease { LeaseId = $"lease-{next}", Epoch = next, TtlMs = 30_000, HeartbeatIntervalMs = (long)HeartbeatInterval.TotalMilliseconds },
            Run = Run,
            ClusterSeed = Akka.Cluster.Cluster.Get(cluster).SelfAddress.ToString(),
        });
    }

    // Every worker message goes to the session of the lease it names; a departure is confirmed
    // with LeaseEnded, as the real coordinator does once it has everything sent before it.
    private sealed class Gateway : ReceiveActor
    {
        public Gateway(FakeCoordinator fake)
        {
            Receive<WorkerMessage>(message =>
            {
                if (!fake.byEpoch.TryGetValue(message.LeaseEpoch, out var session)) return;
                session.Received.Writer.TryWrite(message);
                if (message.Departure is null) return;
                session.Received.Writer.TryComplete();
                Sender.Tell(new LeaseEnded { LeaseEpoch = message.LeaseEpoch, Reason = "left" });
            });
        }
    }

    // The generated base, forwarding to the fake's handler.
    private sealed class Service(FakeCoordinator fake) : Protocol.V1.Coordinator.CoordinatorBase
    {
        public override Task<JoinResponse> Join(JoinRequest request, ServerCallContext context) => fake.JoinAsync(request);
    }
}
