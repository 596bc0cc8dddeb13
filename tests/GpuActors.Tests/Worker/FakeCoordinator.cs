using System.Threading.Channels;
using HyperSwarm.GpuActors.Worker;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>
/// The Coordinator service as a worker sees it, on loopback gRPC, driven by the test: it hands
/// out leases with rising epochs, can refuse the next joins as a restarting coordinator would,
/// and exposes each Session stream as a <see cref="FakeSession"/> to command and to drop.
/// </summary>
internal sealed class FakeCoordinator : IAsyncDisposable
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    private readonly GrpcHost server;
    private readonly Channel<FakeSession> sessions = Channel.CreateUnbounded<FakeSession>();
    private long epoch;
    private int failJoins;
    private int joinAttempts;

    private FakeCoordinator()
    {
        server = new GrpcHost(new GrpcHostOptions()).AddService(new Service(this));
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
        await coordinator.server.StartAsync();
        return coordinator;
    }

    /// <summary>The next <paramref name="count"/> joins fail with UNAVAILABLE.</summary>
    public void FailNextJoins(int count) => Volatile.Write(ref failJoins, count);

    /// <summary>The next Session stream a worker opens.</summary>
    public async Task<FakeSession> NextSessionAsync() => await sessions.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync() => await server.DisposeAsync();

    private Task<JoinResponse> JoinAsync(JoinRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref joinAttempts);
        if (Interlocked.Decrement(ref failJoins) >= 0) throw new RpcException(new Status(StatusCode.Unavailable, "the coordinator is restarting"));
        var next = Interlocked.Increment(ref epoch);
        Joins.Writer.TryWrite(request);
        return Task.FromResult(new JoinResponse
        {
            Lease = new Lease { LeaseId = $"lease-{next}", Epoch = next, TtlMs = 10_000, HeartbeatIntervalMs = (long)HeartbeatInterval.TotalMilliseconds },
            Run = Run,
        });
    }

    private async Task SessionAsync(IAsyncStreamReader<WorkerMessage> requests, IServerStreamWriter<CoordinatorCommand> responses, ServerCallContext context)
    {
        var session = new FakeSession(Interlocked.Read(ref epoch));
        sessions.Writer.TryWrite(session);
        var reading = ReadAsync(requests, session, context.CancellationToken);
        var sending = SendAsync(session, responses, context.CancellationToken);
        var first = await Task.WhenAny(reading, sending, session.DropRequested);
        if (first == session.DropRequested) throw new RpcException(new Status(StatusCode.Unavailable, "the test dropped the session"));
        await first; // the worker half-closed (drained), or a failure to surface
    }

    private static async Task ReadAsync(IAsyncStreamReader<WorkerMessage> requests, FakeSession session, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in requests.ReadAllAsync(cancellationToken)) session.Received.Writer.TryWrite(message);
        }
        finally
        {
            session.Received.Writer.TryComplete();
        }
    }

    private static async Task SendAsync(FakeSession session, IServerStreamWriter<CoordinatorCommand> responses, CancellationToken cancellationToken)
    {
        // Completing the commands channel ends the session from the coordinator's side.
        await foreach (var command in session.Commands.Reader.ReadAllAsync(cancellationToken)) await responses.WriteAsync(command, cancellationToken);
    }

    // The generated base, forwarding to the fake's handlers.
    private sealed class Service(FakeCoordinator fake) : Protocol.V1.Coordinator.CoordinatorBase
    {
        public override Task<JoinResponse> Join(JoinRequest request, ServerCallContext context) => fake.JoinAsync(request, context);

        public override Task Session(IAsyncStreamReader<WorkerMessage> requestStream, IServerStreamWriter<CoordinatorCommand> responseStream, ServerCallContext context) =>
            fake.SessionAsync(requestStream, responseStream, context);
    }
}
