using Akka.Actor;
using Akka.Event;
using Grpc.Core;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Cluster;

/// <summary>
/// Where workers send (<c>/user/population</c> on the coordinator's node): every
/// <see cref="WorkerMessage"/> is matched to the lease it names, checked (<see cref="WireInput"/>)
/// and queued for the population actor, in the order each worker sent them (Akka keeps a
/// sender's order). A message under a lease that has ended, or that this coordinator never
/// issued, is answered with <see cref="LeaseEnded"/>, so its worker joins again.
/// </summary>
/// <remarks>
/// The gateway awaits room in the population actor's inbox before taking the next message
/// (backpressure); meanwhile what arrives waits in its mailbox.
/// </remarks>
internal sealed class PopulationGateway : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public PopulationGateway(PopulationActor population, TimeProvider time)
    {
        ReceiveAsync<WorkerMessage>(async message =>
        {
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
            if (Input(link, message, time.GetUtcNow()) is not { } input) return;
            try
            {
                await population.PostAsync(input, CancellationToken.None);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                // The coordinator is stopping: its links tell every worker so (LeaseEnded).
                _log.Debug("Dropped a message from {0}: {1}", link.WorkerId, e.Status.Detail);
            }
        });
    }

    public static Props Props(PopulationActor population, TimeProvider time) => Akka.Actor.Props.Create(() => new PopulationGateway(population, time));

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
                WorkerMessage.BodyOneofCase.Ended => new EndedReceived(link, WireInput.Ended(message.Ended, link.WorkerId, now)),
                _ => throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "a worker message must carry a report, a heartbeat, a checkpoint notice, a member's end or a departure.")),
            };
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
        {
            _log.Warning("Refused a message from worker {0} (lease {1}): {2}", link.WorkerId, link.Epoch, e.Status.Detail);
            return null;
        }
    }
}
