using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Node;

/// <summary>An event-log entry with the population as it stood right after its input, for live watchers.</summary>
internal readonly record struct LoggedEntry(EventLogEntry Entry, PopulationState After);
