namespace HyperSwarm.Coordinator.Membership;

/// <summary>One worker in a <see cref="WorkerRegistry.Health"/> snapshot.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Epoch">Epoch of its latest lease.</param>
/// <param name="State">Up, suspect, down or left.</param>
/// <param name="Phi">Its φ at the snapshot (0 once down or left: nothing is expected any more).</param>
public readonly record struct WorkerHealth(string WorkerId, long Epoch, WorkerState State, double Phi);
