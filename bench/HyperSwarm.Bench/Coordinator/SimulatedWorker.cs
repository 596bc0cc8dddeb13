using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using HyperSwarm.Coordinator.Node;
using Akka.Actor;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Bench.Coordinator;

/// <summary>
/// A worker without tensors for <c>bench coordinator</c>: it joins over loopback gRPC and the
/// Akka cluster as a node of its own, heartbeats, and reports for its members over Akka.Remote
/// as fast as it can send, or at <see cref="ReportsPerSecond"/> when that is set.
/// It obeys every command (start, stop, exchange, exploit) and acknowledges it the way a real
/// worker does, by what its next report for that member says.
/// </summary>
internal sealed class SimulatedWorker(Uri coordinator, string id, int capacity, CommandClock clock, SimulatorNode node, FloodGate gate) : IAsyncDisposable
{
    private const int StepsPerReport = 10;
    private const int ReportsPerCheckpoint = 20;
    private readonly global::Grpc.Net.Client.GrpcChannel _channel = ClusterChannel.Open(coordinator);
    private readonly ConcurrentQueue<CoordinatorCommand> _inbox = new();
    private readonly Dictionary<string, SimulatedMember> _members = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
    private IActorRef? _postbox;
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

    /// <summary>Joins (gRPC, then the Akka cluster through its simulator node) and returns the task of its sending loop.</summary>
    public async Task<Task> StartAsync(CancellationToken stop)
    {
        var system = node.System;
        var postbox = system.ActorOf(Props.Create(() => new Postbox(this)), $"worker-{id}");
        _postbox = postbox;
        node.Postboxes.Register(id, postbox);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var join = new JoinRequest
        {
            WorkerId = id, Capacity = capacity, Address = $"{id}:7071", Version = "bench",
            ClusterAddress = cluster.SelfAddress.ToString(), ClusterUid = cluster.SelfUniqueAddress.Uid, Postbox = postbox.Path.ToStringWithoutAddress(),
        };
        join.Devices.Add(new Device { Name = "cpu", Kind = "cpu" });
        var response = await new Protocol.V1.Coordinator.CoordinatorClient(_channel).JoinAsync(join, cancellationToken: stop);
        _epoch = response.Lease.Epoch;
        var seed = Address.Parse(response.ClusterSeed);
        await node.JoinAsync(seed).WaitAsync(stop);
        var gateway = system.ActorSelection($"{seed}/user/{ClusterBootstrap.PopulationGateway}");
        Send(gateway, postbox, new WorkerMessage { Heartbeat = new Heartbeat { Epoch = _epoch } });
        return SendLoopAsync(gateway, postbox, TimeSpan.FromMilliseconds(response.Lease.HeartbeatIntervalMs), stop);
    }

    public ValueTask DisposeAsync()
    {
        _postbox?.Tell(PoisonPill.Instance);
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Received(CoordinatorCommand command)
    {
        if (Measuring && clock.LatencyMs(_epoch, command.Sequence, Stopwatch.GetTimestamp()) is { } ms)
        {
            lock (_latenciesMs) _latenciesMs.Add(ms);
        }
        _inbox.Enqueue(command);
    }

    private void Send(ICanTell gateway, IActorRef postbox, WorkerMessage message)
    {
        message.LeaseEpoch = _epoch;
        gateway.Tell(message, postbox);
    }

    private async Task SendLoopAsync(ICanTell gateway, IActorRef postbox, TimeSpan heartbeatEvery, CancellationToken stop)
    {
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
                    Send(gateway, postbox, new WorkerMessage { Heartbeat = beat });
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
                    if (!gate.TryTake())
                    {
                        await Task.Delay(1, stop);
                        continue;
                    }
                }

                member.Step += StepsPerReport;
                member.Reports++;
                Send(gateway, postbox, new WorkerMessage { Report = member.Report() });
                Reports++;
                if (member.Reports % ReportsPerCheckpoint == 0)
                    Send(gateway, postbox, new WorkerMessage { Checkpoint = member.Checkpoint(id) });
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The measurement is over.
        }
    }

    // The worker's command postbox: what the coordinator sends, timed on arrival.
    private sealed class Postbox : ReceiveActor
    {
        public Postbox(SimulatedWorker worker)
        {
            Receive<CoordinatorCommand>(worker.Received);
            Receive<LeaseEnded>(_ => { });
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
