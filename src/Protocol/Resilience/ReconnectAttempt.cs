namespace HyperSwarm.Protocol.Resilience;

/// <summary>One failed attempt seen by the <see cref="ReconnectPolicy"/>.</summary>
/// <param name="Attempt">0 for the first failure.</param>
/// <param name="Delay">How long the policy waits before the next attempt.</param>
/// <param name="Failure">What the attempt threw.</param>
public sealed record ReconnectAttempt(int Attempt, TimeSpan Delay, Exception Failure);
