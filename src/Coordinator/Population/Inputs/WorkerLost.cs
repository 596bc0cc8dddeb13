namespace HyperSwarm.Coordinator.Population;

/// <summary>The failure detector declared a worker down: its members must resume elsewhere.</summary>
public sealed record WorkerLost(DateTimeOffset Now, string WorkerId, string Reason) : PopulationInput(Now);
