namespace HyperSwarm.Coordinator.Store;

/// <summary>What <see cref="PopulationReplay.RunAsync{TState}"/> rebuilt.</summary>
/// <param name="State">The rebuilt state.</param>
/// <param name="LastSequence">The last event folded in (the snapshot's when no event followed it; 0 for an empty store).</param>
/// <param name="SnapshotSequence">The snapshot replay started from, or null when it started empty.</param>
public sealed record ReplayResult<TState>(TState State, long LastSequence, long? SnapshotSequence);
