namespace HyperSwarm.Coordinator.Population;

/// <summary>What a weak member copies from its partner (<see cref="Kind"/> null: nothing), and why.</summary>
public sealed record ExchangeDecision(ExchangeKind? Kind, string Reason);
