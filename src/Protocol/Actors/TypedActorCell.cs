using System.Threading.Channels;

namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// A running actor: a bounded mailbox on System.Threading.Channels and the loop that feeds it
/// to the current instance one message at a time, under supervision. The loop never uses
/// ConfigureAwait(false): on a <see cref="DedicatedThreadScheduler"/> every continuation must
/// come back to the actor's own thread.
/// </summary>
internal sealed class TypedActorCell<TMessage> : ActorCell
    where TMessage : notnull
{
    private readonly Mailbox<Envelope> _mailbox;
    private readonly Func<Actor<TMessage>> _factory;
    private readonly ActorOptions _options;
    private readonly ActorTimers<TMessage> _timers;
    private readonly Queue<long> _failures = new();
    private Task _completion = Task.CompletedTask;

    public TypedActorCell(ActorSystem system, ActorCell? parent, string path, Func<Actor<TMessage>> factory, ActorOptions options)
        : base(system, parent, path)
    {
        _factory = factory;
        _options = options;
        _mailbox = new Mailbox<Envelope>(options.MailboxCapacity);
        Self = new ActorRef<TMessage>(this);
        _timers = new ActorTimers<TMessage>(system.Time, TryEnqueue);
    }

    public ActorRef<TMessage> Self { get; }

    public override Task Completion => _completion;

    public void Start() =>
        _completion = _options.Scheduler is { } scheduler
            ? Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler).Unwrap()
            : Task.Run(RunAsync);

    public bool TryEnqueue(TMessage message)
    {
        if (_mailbox.TryWrite(new Envelope(message, HasMessage: true)))
        {
            return true;
        }

        if (_mailbox.Completion.IsCompleted)
        {
            System.CountDeadLetter();
        }

        return false;
    }

    public async ValueTask EnqueueAsync(TMessage message, CancellationToken cancellationToken)
    {
        if (_mailbox.TryWrite(new Envelope(message, HasMessage: true)))
        {
            return;
        }

        try
        {
            await _mailbox.WriteAsync(new Envelope(message, HasMessage: true), cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Telling a stopped actor is not an error for the sender, as in any actor system.
            System.CountDeadLetter();
        }
    }

    protected override void Wake() => _mailbox.TryWrite(default);

    private async Task RunAsync()
    {
        Actor<TMessage>? actor = null;
        Exception? escalation = null;
        try
        {
            while (true)
            {
                try
                {
                    actor ??= await StartInstanceAsync();
                    await ProcessAsync(actor);
                    break;
                }
                catch (Exception error)
                {
                    // The supervision boundary: an actor's failure, whatever its type, is
                    // handled here and nowhere else.
                    SupervisionDirective directive = Decide(error);
                    if (directive == SupervisionDirective.Resume)
                    {
                        continue;
                    }

                    if (directive == SupervisionDirective.Restart)
                    {
                        actor = null;
                        _timers.CancelAll();
                        await StopChildrenAsync();
                        await Task.Delay(_options.Supervision.Backoff(_failures.Count), System.Time);
                        continue;
                    }

                    escalation = directive == SupervisionDirective.Escalate ? error : null;
                    break;
                }
            }
        }
        finally
        {
            await ShutDownAsync(actor, escalation);
        }
    }

    private async Task<Actor<TMessage>> StartInstanceAsync()
    {
        Actor<TMessage> actor = _factory();
        actor.Attach(new ActorContext<TMessage>(this, Self, _timers));
        await actor.RunPreStartAsync();
        return actor;
    }

    private async Task ProcessAsync(Actor<TMessage> actor)
    {
        Mailbox<Envelope> mailbox = _mailbox;
        while (true)
        {
            if (HasSignals && TryTakeSignal(out ActorSignal? signal))
            {
                if (signal is ActorSignal.ChildEscalated escalated)
                {
                    await actor.RunChildEscalatedAsync(escalated.Child, escalated.Error);
                    continue;
                }

                return;
            }

            // Hot path: no await between messages while the mailbox has some.
            if (mailbox.TryRead(out Envelope envelope))
            {
                if (envelope.HasMessage)
                {
                    await actor.RunReceiveAsync(envelope.Message!);
                }

                continue;
            }

            if (!await mailbox.WaitToReadAsync())
            {
                return;
            }
        }
    }

    private SupervisionDirective Decide(Exception error)
    {
        SupervisionStrategy strategy = _options.Supervision;
        SupervisionDirective directive = strategy.Decider(error);
        if (directive != SupervisionDirective.Restart)
        {
            return directive;
        }

        long now = System.Time.GetTimestamp();
        _failures.Enqueue(now);
        while (System.Time.GetElapsedTime(_failures.Peek(), now) > strategy.Window)
        {
            _failures.Dequeue();
        }

        return _failures.Count > strategy.MaxFailures ? SupervisionDirective.Escalate : SupervisionDirective.Restart;
    }

    private async Task ShutDownAsync(Actor<TMessage>? actor, Exception? escalation)
    {
        _mailbox.Complete();
        while (_mailbox.TryRead(out Envelope left))
        {
            if (left.HasMessage)
            {
                System.CountDeadLetter();
            }
        }

        _timers.CancelAll();
        await StopChildrenAsync();
        Parent?.RemoveChild(this);
        System.Forget(this);
        if (actor is not null)
        {
            await actor.RunPostStopAsync();
        }

        if (escalation is not null)
        {
            if (Parent is { } parent)
            {
                parent.ChildEscalated(Self, escalation);
            }
            else
            {
                System.Escalate(new ActorEscalation(Path, escalation));
            }
        }
    }

    /// <summary>A mailbox slot: a message, or an empty wake-up for the signal queue.</summary>
    private readonly record struct Envelope(TMessage? Message, bool HasMessage);
}
