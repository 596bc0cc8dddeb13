using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// The population as last published by the actor, after its turn was persisted, with the store
/// sequence of the last row written. Immutable, so readers (GetPopulation, WatchEvents) take it
/// without asking the actor.
/// </summary>
internal sealed record PopulationView(PopulationState State, long Sequence);
