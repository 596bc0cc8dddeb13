using Google.Protobuf;
using HyperSwarm.Coordinator.Node;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>
/// A worker written for the tests: it joins over real loopback gRPC, holds one Session, sends
/// what the test says when it says so, and records every command it receives.
/// </summary>
internal sealed class FakeWorker : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private AsyncDuplexStreamingCall<WorkerMessage, CoordinatorCommand>? _session;
    private int _syncs;

    public FakeWorker(Uri coordinator, string id, int capacity, ClusterToken? token = null)
    {
        Id = id;
        Capacity = capacity;
        _channel = ClusterChannel.Open(coordinator, new ClusterChannelOptions { Token = token });
    }

    public string Id { get; }

    public int Capacity { get; }

    public Lease Lease { get; private set; } = new();

    public RunConfig Run { get; private set; } = new();

    public Signals<CoordinatorCommand> Commands { get; } = new(c => c.ToString());

    /// <summary>How the current session ended: OK, or the status the coordinator sent.</summary>
    public Task<Status> SessionEnded { get; private set; } = Task.FromResult(Status.DefaultSuccess);

    public async Task<Lease> JoinAsync()
    {
        var request = new JoinRequest { WorkerId = Id, Capacity = Capacity, Address = $"{Id}:7071", Version = "test" };
        request.Devices.Add(new Device { Name = "cpu", Kind = "cpu" });
        var response = await new Protocol.V1.Coordinator.CoordinatorClient(_channel).JoinAsync(request);
        Lease = response.Lease;
        Run = response.Run;
        return Lease;
    }

    /// <summary>Opens a session under <paramref name="epoch"/> (the current lease's by default): its first message is a heartbeat.</summary>
    public async Task OpenSessionAsync(long? epoch = null)
    {
        _session = new Protocol.V1.Coordinator.CoordinatorClient(_channel).Session();
        SessionEnded = ReadAsync(_session);
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

    public Task SendAsync(WorkerMessage message) =>
        (_session ?? throw new InvalidOperationException("open a session first")).RequestStream.WriteAsync(message);

    /// <summary>
    /// Returns once everything this worker sent before has been applied: a report for a member
    /// that does not exist comes back as a report_refused event, after all that preceded it on
    /// the session (one session is read in order, and the actor applies in arrival order).
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

    public async Task CloseSessionAsync()
    {
        if (_session is null) return;
        await _session.RequestStream.CompleteAsync();
        await SessionEnded;
    }

    public ValueTask DisposeAsync()
    {
        _session?.Dispose();
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<Status> ReadAsync(AsyncDuplexStreamingCall<WorkerMessage, CoordinatorCommand> call)
    {
        try
        {
            while (await call.ResponseStream.MoveNext()) Commands.Add(call.ResponseStream.Current);
            return Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            return e.Status;
        }
    }
}
