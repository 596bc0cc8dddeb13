namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// An exchange or exploit the machine recorded when it decided it (decision <paramref name="Decision"/>,
/// its event-log sequence), with the member as it was before (<paramref name="Before"/>): a
/// <see cref="ChangeFailed"/> from the worker puts that back, so the record never claims weights
/// or hyperparameters the member does not train with.
/// </summary>
public sealed record PendingChange(long Decision, ExchangeKind Kind, PopulationMember Before);
