namespace HyperSwarm.Protocol.Actors;

/// <summary>System messages an actor's loop handles before its mailbox.</summary>
internal abstract record ActorSignal
{
    public static ActorSignal Stop { get; } = new StopSignal();

    public sealed record StopSignal : ActorSignal;

    public sealed record ChildEscalated(IActorRef Child, Exception Error) : ActorSignal;
}
