using HyperSwarm.GpuActors.Checkpoints;
using Akka.Actor;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.GpuActors.Worker;

// What each CoordinatorCommand does. There is no acknowledgement: a command that cannot be
// carried out is logged, and the coordinator sees the outcome in heartbeats and reports.
public sealed partial class WorkerNode
{
    private async Task ExecuteAsync(CoordinatorCommand command, ClusterSession session)
    {
        switch (command.BodyCase)
        {
            case CoordinatorCommand.BodyOneofCase.Start:
                await StartMemberAsync(command.Start, command.Sequence).ConfigureAwait(false);
                break;
            case CoordinatorCommand.BodyOneofCase.Stop:
                lock (gate)
                {
                    if (members.TryGetValue(command.Stop.MemberId, out var stopping)) stopping.Stopping = true;
                }

                Tell(command.Stop.MemberId, command.Sequence, new MemberMessage.Stop(command.Stop.Reason));
                break;
            case CoordinatorCommand.BodyOneofCase.Exchange:
                var exchange = command.Exchange;
                Tell(exchange.MemberId, command.Sequence, new MemberMessage.Exchange(exchange.Hyperparameters ?? new HyperparameterState(), exchange.SourceMemberId) { Decision = exchange.Decision });
                break;
            case CoordinatorCommand.BodyOneofCase.Exploit:
                Exploit(command.Exploit, command.Sequence);
                break;
            case CoordinatorCommand.BodyOneofCase.CheckpointNow:
                Tell(command.CheckpointNow.MemberId, command.Sequence, new MemberMessage.CheckpointNow());
                break;
            case CoordinatorCommand.BodyOneofCase.Drain:
                await DrainAsync(command.Drain.Reason, session).ConfigureAwait(false);
                break;
            default:
                logger.LogWarning("Command {Sequence} carries nothing to do; ignored.", command.Sequence);
                break;
        }
    }

    private async Task StartMemberAsync(StartMember start, long sequence)
    {
        var id = start.MemberId;
        if (!CheckpointRoot.IsValidMemberId(id))
        {
            logger.LogError("Command {Sequence}: '{Member}' is not a member id; not started.", sequence, id);
            return;
        }

        MemberEntry? previous;
        lock (gate)
        {
            members.TryGetValue(id, out previous);
        }

        if (previous is { IsActive: true, Stopping: false })
        {
            if (start.Epoch <= previous.Epoch)
            {
                // Starting it twice would train one member in two places at once (DESIGN.md §5).
                logger.LogWarning("Command {Sequence}: member {Member} already runs here under epoch {Epoch}; not started again.", sequence, id, previous.Epoch);
                return;
            }

            // A newer assignment of a member that still runs here under an older one: the
            // coordinator restarted (or moved the member away and back while this worker was cut
            // off) and assigns it afresh from the checkpoint it chose. Reports of the old epoch
            // are refused from now on, so the old run would train on unheard; it stops with its
            // checkpoint and the new one starts from the coordinator's resume point, which also
            // carries out any exploit decided before the restart.
            logger.LogInformation("Command {Sequence}: member {Member} runs here under epoch {Old}; epoch {New} supersedes it and restarts it.",
                sequence, id, previous.Epoch, start.Epoch);
            lock (gate)
            {
                previous.Stopping = true;
            }

            Tell(id, sequence, new MemberMessage.Stop($"superseded by epoch {start.Epoch}"));
        }

        // A member restarted here (typically stopped, then started again under a new epoch):
        // the old run ends, with its checkpoint, and its actor stops, before the new one starts
        // in the same run directory.
        if (previous is not null)
        {
            await previous.Ended.Task.ConfigureAwait(false);
            await previous.Terminated.ConfigureAwait(false);
        }

        var device = PickDevice(start.Device);
        // The coordinator frees a slot when it stops a member, while the member here may still
        // be writing its last checkpoint: wait for those stopping before saying there is no room.
        while (device is null && StoppingMember() is { } stopping)
        {
            await stopping.Ended.Task.ConfigureAwait(false);
            await stopping.Terminated.ConfigureAwait(false);
            device = PickDevice(start.Device);
        }

        if (device is null)
        {
            logger.LogError("Command {Sequence}: no free slot for member {Member} on '{Device}'; not started.", sequence, id, start.Device);
            NotStarted(start, $"no free slot on '{(start.Device.Length > 0 ? start.Device : "any device")}'");
            return;
        }

        TrainConfig config;
        try
        {
            config = options.MemberConfig(joined?.Run ?? new RunConfig(), start);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            logger.LogError(e, "Command {Sequence}: the run's config gives member {Member} no usable training config; not started.", sequence, id);
            NotStarted(start, $"the run's config gives it no usable training config here: {e.Message}");
            return;
        }

        // The slot decides where the member trains. In a run with a budget the coordinator decides
        // when it stops: the member does not stop by the clock, its schedules follow the run's horizon.
        config = config with { Device = device };
        if (Horizon(start) is { } horizon) config = config with { Budget = null, Horizon = horizon };
        var settings = new MemberSettings
        {
            MemberId = id,
            Checkpoints = locator ?? throw new InvalidOperationException("the Worker service is not started."),
            TorchThreads = options.TorchThreadsPerMember ?? Math.Max(1, Environment.ProcessorCount / options.SlotCount),
            WorkerAddress = options.SharedCheckpoints ? string.Empty : Address,
            ReportEverySteps = options.ReportEverySteps,
            Failpoints = options.Failpoints,
        };
        // A name of its own per start: Akka frees a stopped actor's name only after its parent
        // hears of the stop, which may be after the node has.
        var actor = actors.ActorOf(MemberActor.Props(settings, events.Writer), $"member-{id}-{Interlocked.Increment(ref spawned)}");
        lock (gate)
        {
            members[id] = new MemberEntry(id, device, start.Epoch, actor, actor.WatchAsync());
        }

        logger.LogInformation("Command {Sequence}: starting member {Member} (epoch {Epoch}) on {Device}{Resume}.", sequence, id, start.Epoch, device,
            start.ResumeFrom is { } from ? $" from step {from.Step}" : string.Empty);
        actor.Tell(new MemberMessage.Start(config, start.Hyperparameters, start.ResumeFrom), ActorRefs.NoSender);
    }

    private static RunHorizon? Horizon(StartMember start) =>
        start.RunBudgetMs > 0 && start.RunDeadlineUnixMs > 0
            ? new RunHorizon(TimeSpan.FromMilliseconds(start.RunBudgetMs), DateTimeOffset.FromUnixTimeMilliseconds(start.RunDeadlineUnixMs))
            : null;

    // The coordinator hears at once that a start failed, and why (it restarts the member, elsewhere if it can).
    private void NotStarted(StartMember start, string reason)
    {
        lock (gate)
        {
            link?.SendEnded(new MemberEnded { MemberId = start.MemberId, Epoch = start.Epoch, Outcome = MemberEnded.Types.Outcome.NotStarted, Reason = reason });
        }
    }

    // A member told to stop that has not ended yet: its slot is free in the coordinator's view.
    private MemberEntry? StoppingMember()
    {
        lock (gate)
        {
            return members.Values.FirstOrDefault(m => m is { IsActive: true, Stopping: true });
        }
    }

    // The named device if it has a free slot; with none named, the least loaded one.
    private string? PickDevice(string requested)
    {
        var perDevice = (options.SlotCount + devices.Length - 1) / devices.Length;
        lock (gate)
        {
            var active = members.Values.Where(m => m.IsActive).ToList();
            if (active.Count >= options.SlotCount) return null;
            int Load(string d) => active.Count(m => m.Device == d);
            if (string.IsNullOrEmpty(requested)) return devices.OrderBy(Load).First();
            string name;
            try
            {
                name = Torch.Device.Parse(requested).ToString();
            }
            catch (FormatException)
            {
                return null;
            }

            return devices.Contains(name) && Load(name) < perDevice ? name : null;
        }
    }

    private void Exploit(ExploitCheckpoint exploit, long sequence)
    {
        if (exploit.Source is null)
        {
            logger.LogWarning("Command {Sequence}: exploit for member {Member} names no source checkpoint; ignored.", sequence, exploit.MemberId);
            return;
        }

        lock (gate)
        {
            if (members.TryGetValue(exploit.MemberId, out var member)) member.ParentMemberId = exploit.Source.MemberId;
        }

        var message = new MemberMessage.Exploit(exploit.Source, exploit.Hyperparameters ?? new HyperparameterState(), exploit.ExploreScale > 0 ? exploit.ExploreScale : 1) { Decision = exploit.Decision };
        Tell(exploit.MemberId, sequence, message);
    }

    private void Tell(string memberId, long sequence, MemberMessage message)
    {
        MemberEntry? member;
        lock (gate)
        {
            members.TryGetValue(memberId, out member);
        }

        if (member is not { IsActive: true })
        {
            logger.LogWarning("Command {Sequence} ({Command}) is for member {Member}, which does not run here; ignored.", sequence, message.GetType().Name, memberId);
            return;
        }

        member.Actor.Tell(message, ActorRefs.NoSender);
    }

    // The worker is leaving: every member finishes its step and checkpoints, the final notices
    // go out, and the departure follows them (the coordinator's answer to it ends the session).
    private async Task DrainAsync(string reason, ClusterSession session)
    {
        logger.LogInformation("Draining: {Reason}.", reason);
        await StopMembersAsync($"drain: {reason}").ConfigureAwait(false);
        drained = true;
        lock (gate)
        {
            session.SendDeparture(reason);
        }
    }
}
