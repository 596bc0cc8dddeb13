namespace HyperSwarm.Protocol.Actors;

/// <summary>What an actor can reach from inside: itself, its timers, its children, its system.</summary>
public sealed class ActorContext<TMessage>
    where TMessage : notnull
{
    private readonly ActorCell _cell;

    internal ActorContext(ActorCell cell, ActorRef<TMessage> self, ActorTimers<TMessage> timers)
    {
        _cell = cell;
        Self = self;
        Timers = timers;
    }

    /// <summary>This actor's reference, to hand out or to tell itself.</summary>
    public ActorRef<TMessage> Self { get; }

    /// <summary>Timers that send messages to this actor.</summary>
    public ActorTimers<TMessage> Timers { get; }

    /// <summary>The system the actor lives in.</summary>
    public ActorSystem System => _cell.System;

    /// <summary>The children currently alive.</summary>
    public IReadOnlyList<IActorRef> Children => _cell.Children;

    /// <summary>Starts a child; it is stopped when this actor stops or restarts, and escalates here.</summary>
    public ActorRef<TChild> Spawn<TChild>(Func<Actor<TChild>> factory, ActorOptions? options = null)
        where TChild : notnull =>
        _cell.System.Spawn(factory, options, _cell);

    /// <summary>Stops this actor after the current message.</summary>
    public void Stop() => _cell.RequestStop();
}
