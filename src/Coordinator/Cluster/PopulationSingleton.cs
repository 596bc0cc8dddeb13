using Akka.Actor;
using Akka.Event;
using Grpc.Core;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Cluster;

/// <summary>
/// The coordinator as a cluster singleton (role <c>coordinator</c>): where it runs, it hosts the
/// population (a <see cref="PopulationHost"/> around the pure population machine, rebuilt from
/// the store's event log when it starts or moves) and is the one place every worker sends to,
/// through the <c>/user/population</c> proxy on the coordinator node. Each
/// <see cref="WorkerMessage"/> is matched to the lease it names, checked (<see cref="WireInput"/>)
/// and queued for the population actor, in the order each worker sent them. A message under a
/// lease that has ended, or that this population never issued, is answered with
/// <see cref="LeaseEnded"/>, so its worker joins again. Messages that arrive while the population
/// is still being rebuilt wait (stashed).
/// </summary>
/// <remarks>
/// It awaits room in the population actor's inbox before taking the next message (backpressure);
/// meanwhile what arrives waits in its mailbox.
/// </remarks>
internal sealed class PopulationSingleton : ReceiveActor, IWithStash
{
    /// <summary>The singleton's name under its manager.</summary>
    public const string Name = "population";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PopulationHosting _hosting;
    private readonly TimeProvider _time;
    private PopulationHost? _host;

    public PopulationSingleton(PopulationHosting hosting, TimeProvider time)
    {
        _hosting = hosting;
        _time = time;
        Receive<Hosted>(hosted =>
        {
            _host = hosted.Host;
            var population = hosted.Host.Actor;
            Context.ActorOf(MembershipWatcher.Props((node, change) => population.Post(new ClusterNodeChanged(node, change))), "membership");
            Become(Running);
            Stash.UnstashAll();
        });
        Receive<Akka.Actor.Status.Failure>(failure =>
        {
            // The node's start says why (PopulationHosting.FirstStart); nothing is hosted here.
            _log.Error(failure.Cause, "The population could not be started on this node.");
            Context.Stop(Self);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(PopulationHosting hosting, TimeProvider time) => Akka.Actor.Props.Create(() => new PopulationSingleton(hosting, time));

    protected override void PreStart() =>
        _hosting.StartAsync().PipeTo(Self, success: host => new Hosted(host), failure: e => new Akka.Actor.Status.Failure(e));

    // Handed over, or its node is leaving: the population writes what it held back and a snapshot,
    // and tells its workers their leases ended (they join again, wherever it runs next).
    protected override void PostStop() => _host?.StopAsync(departures: TimeSpan.Zero);

    private void Running()
    {
        ReceiveAsync<WorkerMessage>(async message =>
        {
            var population = _host!.Actor;
            if (population.FindLink(message.LeaseEpoch) is not { } link)
            {
                Sender.Tell(new LeaseEnded { LeaseEpoch = message.LeaseEpoch, Reason = $"lease epoch {message.LeaseEpoch} was not issued by this coordinator; join it first." });
                return;
            }
            if (link.Fence is { } fence)
            {
                Sender.Tell(new LeaseEnded { LeaseEpoch = link.Epoch, Reason = fence });
                return;
            }
            if (Input(link, message, _time.GetUtcNow()) is not { } input) return;
            try
            {
                await population.PostAsync(input, CancellationToken.None);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                // The population is stopping: its links tell every worker so (LeaseEnded).
                _log.Debug("Dropped a message from {0}: {1}", link.WorkerId, e.Status.Detail);
            }
        });
    }

    // A message no correct worker sends is refused, named, and goes no further.
    private WorkerInput? Input(WorkerLink link, WorkerMessage message, DateTimeOffset now)
    {
        try
        {
            return message.BodyCase switch
            {
                WorkerMessage.BodyOneofCase.Heartbeat => new HeartbeatReceived(link, [.. message.Heartbeat.MemberIds], now),
                WorkerMessage.BodyOneofCase.Report => new ReportReceived(link, WireInput.Report(message.Report, link.WorkerId, now), message.Report),
                WorkerMessage.BodyOneofCase.Checkpoint => new NoticeReceived(link, WireInput.Notice(message.Checkpoint, link.WorkerId, now)),
                WorkerMessage.BodyOneofCase.Departure => new DepartureReceived(link, message.Departure.Reason, now),
                WorkerMessage.BodyOneofCase.Ended => new OutcomeReceived(link, WireInput.Ended(message.Ended, link.WorkerId, now)),
                WorkerMessage.BodyOneofCase.CommandFailed => new OutcomeReceived(link, WireInput.CommandFailed(message.CommandFailed, link.WorkerId, now)),
                _ => throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "a worker message must carry a report, a heartbeat, a checkpoint notice, a member's end or a departure.")),
            };
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            _log.Warning("Refused a message from worker {0} (lease {1}): {2}", link.WorkerId, link.Epoch, e.Status.Detail);
            return null;
        }
    }

    private sealed record Hosted(PopulationHost Host);
}
