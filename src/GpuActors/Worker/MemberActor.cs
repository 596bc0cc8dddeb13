using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Akka.Actor;
using Grpc.Core;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// One population member on one device slot (DESIGN.md §3 step 4): an Akka actor on the pinned
/// <see cref="WorkerActorSystem.MemberDispatcher"/>, so it runs on one OS thread of its own from
/// start to end, and that thread is the only one that touches its model. It trains one step per
/// message (a <see cref="TrainingSession"/> step, then it tells itself to take the next), so the
/// commands it is sent meanwhile are carried out between two steps, in the order sent.
/// Everything the member has to say goes to the events channel; <see cref="MemberEvent.Ended"/>
/// comes last, once the run is freed, and then the actor stops.
/// </summary>
public sealed class MemberActor : ReceiveActor, IWithUnboundedStash
{
    private readonly MemberSettings settings;
    private readonly ChannelWriter<MemberEvent> events;
    private TrainingRun? run;
    private TrainingSession? session;
    private Task<LocatedCheckpoint>? exploitSource;
    private Exception? failure;
    private bool ended;

    /// <summary>Creates the actor; create it with <see cref="Props(MemberSettings, ChannelWriter{MemberEvent})"/>.</summary>
    public MemberActor(MemberSettings settings, ChannelWriter<MemberEvent> events)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(events);
        if (!CheckpointRoot.IsValidMemberId(settings.MemberId)) throw new ArgumentException($"'{settings.MemberId}' is not a member id.", nameof(settings));
        this.settings = settings;
        this.events = events;
        Idle();
    }

    /// <inheritdoc />
    public IStash Stash { get; set; } = null!;

    /// <summary>The member actor's props: on the pinned member dispatcher of <see cref="WorkerActorSystem.Config"/>.</summary>
    public static Props Props(MemberSettings settings, ChannelWriter<MemberEvent> events) =>
        Akka.Actor.Props.Create(() => new MemberActor(settings, events)).WithDispatcher(WorkerActorSystem.MemberDispatcher);

    /// <inheritdoc />
    protected override void PreStart() =>
        Torch.Torch.NumThreads = settings.TorchThreads; // per OS thread in libtorch: set on this one before any op runs here

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception e) when (Remember(e))
        {
            throw; // never taken: Remember only notes the failure that PostStop reports
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        if (exploitSource is { } fetch) _ = DiscardAsync(fetch);
        if (ended) return;

        // Stopped from outside (the system shutting down) or after a failure: the run still needs
        // its owner to end it and free its tensors, on this thread. A failed member's run may be
        // half way through a step, so it is freed without a checkpoint.
        ended = true;
        TrainingResult? result = null;
        try
        {
            if (failure is null && session is not null) result = session.End();
        }
        catch (Exception e) when (Remember(e))
        {
            throw; // never taken: the filter notes the error for the Ended event below
        }
        finally
        {
            Free();
            events.TryWrite(new MemberEvent.Ended(settings.MemberId, result, failure));
        }
    }

    /// <inheritdoc />
    protected override void PostRestart(Exception reason)
    {
        // Restarted by a supervisor that is not MemberSupervision: the failed instance has freed
        // its run and reported its end (PreRestart runs PostStop); a fresh one must not train.
        ended = true;
        Context.Stop(Self);
    }

    // Not started yet: a start, or a stop before training began.
    private void Idle()
    {
        Receive<MemberMessage.Start>(Start);
        Receive<MemberMessage.Stop>(_ => End(null, null));
        Receive<MemberMessage>(m => CommandFailed(m, new InvalidOperationException($"member {settings.MemberId} is not training.")));
    }

    // Fetching the checkpoint to resume from, off this thread: everything else waits its turn.
    private void Resuming()
    {
        Receive<Resumable>(r =>
        {
            if (r.Error is not null) End(null, r.Error);
            else Train(r.Start, r.Checkpoint);
        });
        ReceiveAny(_ => Stash.Stash());
    }

    private void Training()
    {
        Receive<Step>(_ => TakeStep());
        Receive<Poison>(_ => PoisonWeights());
        Receive<MemberMessage.Start>(m => CommandFailed(m, new InvalidOperationException($"member {settings.MemberId} was already started.")));
        Receive<MemberMessage.Exchange>(m => Command(m, () => session!.ApplyHyperparameterState(m.Hyperparameters)));
        Receive<MemberMessage.Exploit>(FetchExploitSource);
        Receive<MemberMessage.CheckpointNow>(m => Command(m, () => session!.CheckpointNow()));
        Receive<MemberMessage.Stop>(_ => End(session!.End(), null));
    }

    // Training on while an exploit's source checkpoint is fetched; the commands sent after the
    // exploit wait for it, so they still apply in the order sent.
    private void Exploiting()
    {
        Receive<Step>(_ => TakeStep());
        Receive<Poison>(_ => PoisonWeights());
        Receive<ExploitSource>(LoadExploitSource);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Start(MemberMessage.Start start)
    {
        if (start.ResumeFrom is { } from && (from.Step > 0 || from.Path.Length > 0))
        {
            // Possibly another worker's file over gRPC: fetched off this thread, back as a message.
            settings.Checkpoints.ForResumeAsync(settings.MemberId, from, CancellationToken.None)
                .PipeTo(Self, success: c => new Resumable(start, c, null), failure: e => new Resumable(start, null, e));
            Become(Resuming);
            return;
        }

        Train(start, null);
    }

    private void Train(MemberMessage.Start start, LocatedCheckpoint? resumeFrom)
    {
        run = new TrainingRun(start.Config, new RunDirectory(settings.Checkpoints.Root.MemberDirectory(settings.MemberId)), settings.Observer);
        if (resumeFrom is not null) run.ResumeFrom(resumeFrom.Path);
        if (start.Hyperparameters is { Hyperparameters.Count: > 0 } given) run.ApplyHyperparameterState(given);
        events.TryWrite(new MemberEvent.Started(settings.MemberId, run.WeightSteps, Environment.CurrentManagedThreadId, resumeFrom?.Unusable));
        session = run.Begin(Observer());
        Become(Training);
        Stash.UnstashAll(); // commands sent while resuming go first, in order
        Self.Tell(Step.Instance);
    }

    private void TakeStep()
    {
        if (session!.Step()) Self.Tell(Step.Instance); // behind whatever arrived during this step
        else End(session.End(), null);
    }

    private void Command(MemberMessage command, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (LeavesRunIntact(e))
        {
            CommandFailed(command, e);
        }
    }

    private void FetchExploitSource(MemberMessage.Exploit exploit)
    {
        // Another worker's file comes over gRPC: training goes on while it does.
        var fetch = settings.Checkpoints.ForExploitAsync(exploit.Source, CancellationToken.None);
        exploitSource = fetch;
        fetch.PipeTo(Self, success: c => new ExploitSource(exploit, c, null), failure: e => new ExploitSource(exploit, null, e));
        Become(Exploiting);
    }

    private void LoadExploitSource(ExploitSource fetched)
    {
        exploitSource = null;
        Become(Training);
        Stash.UnstashAll();
        if (fetched.Error is { } error)
        {
            if (!LeavesRunIntact(error)) ExceptionDispatchInfo.Throw(error); // not a refusal: the member fails
            CommandFailed(fetched.Exploit, error);
            return;
        }

        var source = fetched.Checkpoint!;
        try
        {
            Command(fetched.Exploit, () => session!.Exploit(source.Path, fetched.Exploit.Hyperparameters, fetched.Exploit.ExploreScale));
        }
        finally
        {
            if (source.Temporary) File.Delete(source.Path);
        }
    }

    // NanFailpoints: the first weight tensor becomes NaN, so the next loss is NaN and the run's
    // own divergence handling takes over, as it would for a real blow-up. Between two steps.
    private void PoisonWeights()
    {
        var weight = run!.Model.NamedParameters().First().Parameter.Value;
        using var noGrad = Torch.NoGrad.Enter();
        weight.FillInPlace(double.NaN);
    }

    private MemberObserver Observer()
    {
        var self = Self;
        return new MemberObserver(settings.MemberId)
        {
            ReportEverySteps = settings.ReportEverySteps,
            Report = p =>
            {
                events.TryWrite(new MemberEvent.Reported(settings.MemberId, ToReport(p)));
                // Told during the step, so it comes before the next step's message.
                if (settings.Failpoints.TryFire(settings.MemberId, p.Step)) self.Tell(Poison.Instance);
            },
            Checkpointed = c => events.TryWrite(new MemberEvent.Checkpointed(settings.MemberId, Stamped(c))),
            Diverged = d => events.TryWrite(new MemberEvent.Diverged(settings.MemberId, d)),
        };
    }

    private void End(TrainingResult? result, Exception? error)
    {
        ended = true;
        Free();
        events.TryWrite(new MemberEvent.Ended(settings.MemberId, result, error));
        Context.Stop(Self);
    }

    private void Free()
    {
        session?.Dispose();
        session = null;
        run?.Dispose();
        run = null;
    }

    private void CommandFailed(MemberMessage command, Exception error) =>
        events.TryWrite(new MemberEvent.CommandFailed(settings.MemberId, CommandName(command), error, command switch
        {
            MemberMessage.Exchange exchange => exchange.Decision,
            MemberMessage.Exploit exploit => exploit.Decision,
            _ => 0,
        }));

    // Notes the first failure for the Ended event; false, so the exception goes on to supervision.
    private bool Remember(Exception e)
    {
        failure ??= e;
        return false;
    }

    // Failures that leave the run as it was (every command checks before it changes anything, or
    // puts back what it changed): the command fails, training goes on. Any other ends the member.
    private static bool LeavesRunIntact(Exception e) =>
        e is ArgumentException or CheckpointException or InvalidOperationException or IOException or RpcException;

    private static string CommandName(MemberMessage command) => command switch
    {
        MemberMessage.Start => "start",
        MemberMessage.Exchange => "exchange",
        MemberMessage.Exploit => "exploit",
        MemberMessage.CheckpointNow => "checkpoint_now",
        _ => "stop",
    };

    // The actor stopped while an exploit source was being fetched: nobody will load the copy.
    private static async Task DiscardAsync(Task<LocatedCheckpoint> fetch)
    {
        await ((Task)fetch).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (fetch.IsCompletedSuccessfully && fetch.Result.Temporary) File.Delete(fetch.Result.Path);
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

    // The actor's own messages: take the next step; the failpoint's NaN; a fetch's outcome.
    private sealed class Step
    {
        public static readonly Step Instance = new();
    }

    private sealed class Poison
    {
        public static readonly Poison Instance = new();
    }

    private sealed record Resumable(MemberMessage.Start Start, LocatedCheckpoint? Checkpoint, Exception? Error);

    private sealed record ExploitSource(MemberMessage.Exploit Exploit, LocatedCheckpoint? Checkpoint, Exception? Error);
}
