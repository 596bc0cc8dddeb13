using System.Collections.Immutable;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// What one event produced: commands to send, in order, and event-log entries to append. The
/// caller persists the entries (and the event) before sending the commands.
/// </summary>
public sealed record PopulationOutput(ImmutableArray<PopulationCommand> Commands, ImmutableArray<EventLogEntry> Log);
