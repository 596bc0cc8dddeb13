namespace HyperSwarm.Coordinator.Population;

/// <summary>The coordinator's selection timer: each tick is one ranking and selection round.</summary>
public sealed record TimerTicked(DateTimeOffset Now) : PopulationInput(Now);
