namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// The base of every actor: it handles one message at a time from its bounded mailbox, so its
/// state needs no locks. Messages are plain records (DESIGN.md §1: a kernel that Akka.NET can
/// replace where a feed has it).
/// </summary>
public abstract class Actor<TMessage>
    where TMessage : notnull
{
    private ActorContext<TMessage>? _context;

    /// <summary>The actor's own reference, timers, children and system.</summary>
    protected ActorContext<TMessage> Context =>
        _context ?? throw new InvalidOperationException("The context is set when the actor starts, not in its constructor.");

    internal void Attach(ActorContext<TMessage> context) => _context = context;

    internal ValueTask RunPreStartAsync() => PreStartAsync();

    internal ValueTask RunReceiveAsync(TMessage message) => ReceiveAsync(message);

    internal ValueTask RunPostStopAsync() => PostStopAsync();

    internal ValueTask RunChildEscalatedAsync(IActorRef child, Exception error) => OnChildEscalatedAsync(child, error);

    /// <summary>Runs before the first message, and again on the fresh instance after a restart.</summary>
    protected virtual ValueTask PreStartAsync() => default;

    /// <summary>Handles one message. An exception is a failure that supervision deals with.</summary>
    protected abstract ValueTask ReceiveAsync(TMessage message);

    /// <summary>Runs once when the actor stops for good (not on restart).</summary>
    protected virtual ValueTask PostStopAsync() => default;

    /// <summary>
    /// A child gave up (too many failures in its window). By default the child's failure
    /// becomes this actor's failure, so this actor's own supervision decides next.
    /// </summary>
    protected virtual ValueTask OnChildEscalatedAsync(IActorRef child, Exception error) =>
        throw new ActorEscalationException(child.Path, error);
}
