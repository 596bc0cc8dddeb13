namespace HyperSwarm.Protocol.Actors;

/// <summary>A top-level actor gave up: nothing above it can restart it.</summary>
/// <param name="Path">The actor that escalated.</param>
/// <param name="Error">The last failure.</param>
public sealed record ActorEscalation(string Path, Exception Error);
