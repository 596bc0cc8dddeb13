using System.Threading.Channels;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.Actors;
using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// One population member on one device slot (DESIGN.md §3 step 4). Its mailbox loop runs on
/// the thread pool; the model lives on a torch thread of its own (a
/// <see cref="DedicatedThreadScheduler"/>), where the <see cref="TrainingRun"/> is created,
/// trained and disposed. Commands reach the run through its <see cref="MemberControl"/> and take
/// effect between two steps; each is finished before the next message is taken, so they apply
/// in the order sent. Everything the member has to say goes to the events channel.
/// </summary>
public sealed class MemberActor : Actor<MemberMessage>
{
    private readonly MemberSettings settings;
    private readonly ChannelWriter<MemberEvent> events;
    private MemberControl? control;
    private DedicatedThreadScheduler? thread;
    private Task<TrainingResult>? run;
    private bool ended;

    /// <summary>Creates the actor; spawn it with <see cref="Options"/>.</summary>
    public MemberActor(MemberSettings settings, ChannelWriter<MemberEvent> events)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(events);
        if (!CheckpointRoot.IsValidMemberId(settings.MemberId)) throw new ArgumentException($"'{settings.MemberId}' is not a member id.", nameof(settings));
        this.settings = settings;
        this.events = events;
    }

    /// <summary>
    /// Actor options for member <paramref name="memberId"/>: named after it, and never restarted
    /// (a fresh instance would not own the run in flight), so a failure of the actor itself
    /// stops it, stops its run, and escalates.
    /// </summary>
    public static ActorOptions Options(string memberId) => new()
    {
        Name = $"member-{memberId}",
        Supervision = SupervisionStrategy.Default with { Decider = static _ => SupervisionDirective.Escalate },
    };

    /// <inheritdoc />
    protected override async ValueTask ReceiveAsync(MemberMessage message)
    {
        switch (message)
        {
            case MemberMessage.Start start:
                await StartAsync(start);
                break;
            case MemberMessage.Exchange exchange:
                await CommandAsync("exchange", c => c.ApplyHyperparameterStateAsync(exchange.Hyperparameters));
                break;
            case MemberMessage.Exploit exploit:
                await CommandAsync("exploit", c => ExploitAsync(c, exploit));
                break;
            case MemberMessage.CheckpointNow:
                await CommandAsync("checkpoint_now", c => c.CheckpointNowAsync());
                break;
            case MemberMessage.Stop:
                if (control is null) End(null, null);
                else control.Stop();
                break;
            case MemberMessage.RunEnded done:
                Finish(done.Run);
                break;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask PostStopAsync()
    {
        // Stopped from outside (the system shutting down, or a failure of this actor): the run
        // still needs an owner to stop it and free its tensors on its own thread.
        if (run is not null && !ended)
        {
            control?.Stop();

            // Yield: never go on inline on the torch thread, which Finish joins and disposes.
            await ((Task)run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
            Finish(run);
        }
    }

    private async Task StartAsync(MemberMessage.Start start)
    {
        if (run is not null || ended)
        {
            events.TryWrite(new MemberEvent.CommandFailed(settings.MemberId, "start", new InvalidOperationException($"member {settings.MemberId} was already started.")));
            return;
        }

        LocatedCheckpoint? resumeFrom = null;
        if (start.ResumeFrom is { } from && (from.Step > 0 || from.Path.Length > 0))
        {
            try
            {
                resumeFrom = await settings.Checkpoints.ForResumeAsync(settings.MemberId, from, CancellationToken.None);
            }
            catch (Exception e) when (e is CheckpointException or RpcException or IOException)
            {
                End(null, e);
                return;
            }
        }

        control = new MemberControl(settings.MemberId)
        {
            ReportEverySteps = settings.ReportEverySteps,
            Report = p =>
            {
                events.TryWrite(new MemberEvent.Reported(settings.MemberId, ToReport(p)));
                if (settings.Failpoints.TryFire(settings.MemberId, p.Step)) _ = PoisonAsync(control!);
            },
            Checkpointed = c => events.TryWrite(new MemberEvent.Checkpointed(settings.MemberId, Stamped(c))),
            Diverged = d => events.TryWrite(new MemberEvent.Diverged(settings.MemberId, d)),
        };
        thread = await TorchThread.StartAsync(settings.TorchThreads, $"member {settings.MemberId}");
        var owned = control;
        run = thread.InvokeAsync(() => Train(start, resumeFrom, owned));
        _ = ReportEndAsync(run);
    }

    private async Task PoisonAsync(MemberControl target)
    {
        try
        {
            await target.PostAsync(Poison).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            events.TryWrite(new MemberEvent.CommandFailed(settings.MemberId, "failpoint", e)); // the run ended first
        }
    }

    // NanFailpoints: the first weight tensor becomes NaN, so the next loss is NaN and the run's
    // own divergence handling takes over, as it would for a real blow-up. Runs between steps.
    private static long Poison(TrainingRun run)
    {
        var weight = run.Model.NamedParameters().First().Parameter.Value;
        using var noGrad = Torch.NoGrad.Enter();
        weight.FillInPlace(double.NaN);
        return run.WeightSteps;
    }

    // On the torch thread, start to end: the run never leaves it.
    private TrainingResult Train(MemberMessage.Start start, LocatedCheckpoint? resumeFrom, MemberControl owned)
    {
        try
        {
            using var training = new TrainingRun(start.Config, new RunDirectory(settings.Checkpoints.Root.MemberDirectory(settings.MemberId)));
            if (resumeFrom is not null) training.ResumeFrom(resumeFrom.Path);
            if (start.Hyperparameters is { Hyperparameters.Count: > 0 } given) training.ApplyHyperparameterState(given);
            events.TryWrite(new MemberEvent.Started(settings.MemberId, training.WeightSteps, Environment.CurrentManagedThreadId, resumeFrom?.Unusable));
            return training.Run(owned);
        }
        finally
        {
            // A run that never got going must not leave its commands waiting.
            owned.Close();
        }
    }

    private async Task ReportEndAsync(Task<TrainingResult> training)
    {
        await ((Task)training).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        await Context.Self.TellAsync(new MemberMessage.RunEnded(training)).ConfigureAwait(false);
    }

    private async Task CommandAsync(string name, Func<MemberControl, Task> command)
    {
        if (control is null || ended)
        {
            events.TryWrite(new MemberEvent.CommandFailed(settings.MemberId, name, new InvalidOperationException($"member {settings.MemberId} is not training.")));
            return;
        }

        try
        {
            await command(control);
        }
        catch (Exception e) when (e is ArgumentException or CheckpointException or InvalidOperationException or IOException or RpcException)
        {
            // The command changed nothing (see MemberControl); the owner decides what to do next.
            events.TryWrite(new MemberEvent.CommandFailed(settings.MemberId, name, e));
        }
    }

    private async Task ExploitAsync(MemberControl owned, MemberMessage.Exploit exploit)
    {
        var source = await settings.Checkpoints.ForExploitAsync(exploit.Source, CancellationToken.None);
        try
        {
            await owned.ExploitAsync(source.Path, exploit.Hyperparameters, exploit.ExploreScale);
        }
        finally
        {
            if (source.Temporary) File.Delete(source.Path);
        }
    }

    private void Finish(Task<TrainingResult> training)
    {
        thread?.Dispose();
        thread = null;
        End(training.IsCompletedSuccessfully ? training.Result : null, training.Exception?.InnerException);
    }

    private void End(TrainingResult? result, Exception? error)
    {
        if (ended) return;
        ended = true;
        events.TryWrite(new MemberEvent.Ended(settings.MemberId, result, error));
        Context.Stop();
    }

    private MemberReport ToReport(MemberProgress p) => new()
    {
        MemberId = settings.MemberId,
        Step = p.Step,
        TrainLoss = p.TrainLoss,
        ValidationLoss = p.ValidationLoss,
        ValidationAccuracy = p.ValidationAccuracy,
        ExamplesPerSecond = p.ExamplesPerSecond,
        Hyperparameters = p.Hyperparameters,
    };

    private CheckpointRef Stamped(CheckpointRef checkpoint)
    {
        checkpoint.WorkerAddress = settings.WorkerAddress;
        return checkpoint;
    }
}
