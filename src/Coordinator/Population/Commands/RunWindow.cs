namespace HyperSwarm.Coordinator.Population;

/// <summary>A run's wall-clock budget (<paramref name="Budget"/>) and when it is spent (<paramref name="End"/>).</summary>
public sealed record RunWindow(TimeSpan Budget, DateTimeOffset End);
