using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using HyperSwarm.Coordinator.Node;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Bench.Coordinator;

/// <summary>
/// A worker without tensors for <c>bench coordinator</c>: it joins over loopback gRPC, holds
/// one Session, heartbeats, and reports for its members as fast as the coordinator takes them,
/// or at <see cref="ReportsPerSecond"/> when that is set.
/// It obeys every command (start, stop, exchange, exploit) and acknowledges it the way a real
/// worker does, by what its next report for that member says.
/// </summary>
internal sealed class SimulatedWorker(Uri coordinator, string id, int capacity, CommandClock clock) : IAsyncDisposable
{
    private const int StepsPerReport = 10;
    private const int ReportsPerCheckpoint = 20;
    private readonly global::Grpc.Net.Client.GrpcChannel _channel = ClusterChannel.Open(coordinator);
    private readonly ConcurrentQueue<CoordinatorCommand> _inbox = new();
    private readonly Dictionary<string, SimulatedMember> _members = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
    private long _epoch;

    public long Reports { get; private set; }

    /// <summary>The command latencies measured since the last call, which forgets them.</summary>
    public IReadOnlyList<double> TakeLatenciesMs()
    {
        lock (_latenciesMs)
        {
            var taken = _latenciesMs.ToArray();
            _latenciesMs.Clear();
            return taken;
        }
    }

    public int Running => _members.Values.Count(m => m.Running);

    public bool Measuring { get; set; }

    /// <summary>The pace of its reports (all members together); null for as fast as they are taken.</summary>
    public double? ReportsPerSecond { get; set; }

    public async Task<Task> StartAsync(CancellationToken stop)
    {
        var join = new JoinRequest { WorkerId = id, Capacity = capacity, Address = $"{id}:7071", Version = "bench" };
        join.Devices.Add(new Device { Name = "cpu", Kind = "cpu" });
        var client = new Protocol.V1.Coordinator.CoordinatorClient(_channel);
        var lease = (await client.JoinAsync(join, cancellationToken: stop)).Lease;
        _epoch = lease.Epoch;
        var session = client.Session(cancellationToken: stop);
        await session.RequestStream.WriteAsync(new WorkerMessage { Heartbeat = new Heartbeat { Epoch = _epoch } }, stop);
        var reading = ReadAsync(session, stop);
        var writing = WriteAsync(session, TimeSpan.FromMilliseconds(lease.HeartbeatIntervalMs), stop);
        return Task.WhenAll(reading, writing).ContinueWith(_ => session.Dispose(), TaskScheduler.Default);
    }

    public ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ReadAsync(AsyncDuplexStreamingCall<WorkerMessage, CoordinatorCommand> session, CancellationToken stop)
    {
        try
        {
            while (await session.ResponseStream.MoveNext(stop))
            {
                var command = session.ResponseStream.Current;
                if (Measuring && clock.LatencyMs(_epoch, command.Sequence, Stopwatch.GetTimestamp()) is { } ms)
                {
                    lock (_latenciesMs) _latenciesMs.Add(ms);
                }
                _inbox.Enqueue(command);
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
        {
            // The measurement is over: the bench cancelled the session.
        }
    }

    private async Task WriteAsync(AsyncDuplexStreamingCall<WorkerMessage, CoordinatorCommand> session, TimeSpan heartbeatEvery, CancellationToken stop)
    {
        var requests = session.RequestStream;
        var lastBeat = Stopwatch.GetTimestamp();
        var turn = 0;
        long? due = null; // when the next paced report is due (Stopwatch ticks)
        try
        {
            while (!stop.IsCancellationRequested)
            {
                while (_inbox.TryDequeue(out var command)) Obey(command);
                if (Stopwatch.GetElapsedTime(lastBeat) >= heartbeatEvery)
                {
                    lastBeat = Stopwatch.GetTimestamp();
                    // Lists the members it runs, as a real worker does: the coordinator fails one it misses.
                    var beat = new Heartbeat { Epoch = _epoch, SentUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
                    beat.MemberIds.AddRange(_members.Values.Where(m => m.Running).Select(m => m.Id));
                    await requests.WriteAsync(new WorkerMessage { Heartbeat = beat }, stop);
                }
                var member = NextRunning(ref turn);
                if (member is null)
                {
                    await Task.Delay(1, stop);
                    continue;
                }
                if (ReportsPerSecond is { } pace)
                {
                    var now = Stopwatch.GetTimestamp();
                    due = due is { } d && d > now - Stopwatch.Frequency ? d : now; // fall behind by at most a second, never burst more
                    if (due > now)
                    {
                        await Task.Delay(TimeSpan.FromTicks((due.Value - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency), stop);
                        continue; // commands that came meanwhile first
                    }
                    due += (long)(Stopwatch.Frequency / pace);
                }
                else
                {
                    due = null;
                }

                member.Step += StepsPerReport;
                member.Reports++;
                await requests.WriteAsync(new WorkerMessage { Report = member.Report() }, stop);
                Reports++;
                if (member.Reports % ReportsPerCheckpoint == 0)
                    await requests.WriteAsync(new WorkerMessage { Checkpoint = member.Checkpoint(id) }, stop);
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
        {
            // The measurement is over: the bench cancelled the session.
        }
    }

    private SimulatedMember? NextRunning(ref int turn)
    {
        var running = _members.Values.Where(m => m.Running).ToArray();
        if (running.Length == 0) return null;
        return running[turn++ % running.Length];
    }

    private void Obey(CoordinatorCommand command)
    {
        switch (command.BodyCase)
        {
            case CoordinatorCommand.BodyOneofCase.Start:
                var start = command.Start;
                _members[start.MemberId] = new SimulatedMember(start.MemberId)
                {
                    Epoch = start.Epoch,
                    Step = start.ResumeFrom?.Step ?? 0,
                    Hyperparameters = start.Hyperparameters,
                    Running = true,
                };
                break;
            case CoordinatorCommand.BodyOneofCase.Stop:
                if (_members.TryGetValue(command.Stop.MemberId, out var stopped)) stopped.Running = false;
                break;
            case CoordinatorCommand.BodyOneofCase.Exchange:
                if (_members.TryGetValue(command.Exchange.MemberId, out var exchanged)) exchanged.Hyperparameters = command.Exchange.Hyperparameters;
                break;
            case CoordinatorCommand.BodyOneofCase.Exploit:
                if (_members.TryGetValue(command.Exploit.MemberId, out var exploited))
                {
                    exploited.Step = command.Exploit.Source.Step;
                    exploited.Hyperparameters = command.Exploit.Hyperparameters;
                }
                break;
            case CoordinatorCommand.BodyOneofCase.CheckpointNow:
                if (_members.TryGetValue(command.CheckpointNow.MemberId, out var saving)) saving.Reports = ReportsPerCheckpoint - 1;
                break;
        }
    }

    /// <summary>One member: a loss that falls with steps and is best at dropout 0.4, so selection has something to find.</summary>
    private sealed class SimulatedMember(string id)
    {
        private static readonly ByteString Checksum = ByteString.CopyFrom(new byte[32]);

        public string Id => id;

        public long Epoch { get; set; }

        public long Step { get; set; }

        public long Reports { get; set; }

        public bool Running { get; set; }

        public HyperparameterState Hyperparameters { get; set; } = new();

        public MemberReport Report()
        {
            var dropout = Hyperparameters.Hyperparameters.Count > 0 ? Hyperparameters.Hyperparameters[0].Constrained : 0.4;
            var loss = (1 + Math.Abs(dropout - 0.4)) / (1 + Step / 1000.0);
            return new MemberReport
            {
                MemberId = id, Epoch = Epoch, Step = Step, TrainLoss = loss * 0.9, ValidationLoss = loss,
                ValidationAccuracy = 1 - loss / 2, Hyperparameters = Hyperparameters, ExamplesPerSecond = 1000,
            };
        }

        public CheckpointNotice Checkpoint(string worker) => new()
        {
            Epoch = Epoch,
            Checkpoint = new CheckpointRef
            {
                MemberId = id, Step = Step, WorkerAddress = $"{worker}:7071", Path = $"/bench/{id}/{Step}", SizeBytes = 1, Sha256 = Checksum,
            },
        };
    }
}
