namespace HyperSwarm.Coordinator.Population;

/// <summary>The first event of a run: creates the members, all pending until workers join.</summary>
public sealed record RunStarted(DateTimeOffset Now) : PopulationInput(Now);
