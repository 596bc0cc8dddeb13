namespace HyperSwarm.Coordinator.Membership;

/// <summary>One worker in a <see cref="WorkerRegistry.Health"/> snapshot.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Epoch">Epoch of its latest lease.</param>
/// <param name="State">Joining, up, unreachable, down or left.</param>
public readonly record struct WorkerHealth(string WorkerId, long Epoch, WorkerState State);
