namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// An event the population machine reacts to. Time is part of the event (<see cref="Now"/>), never
/// read from a clock, so applying the same events always gives the same state.
/// </summary>
public abstract record PopulationInput(DateTimeOffset Now);
