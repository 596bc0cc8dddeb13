namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// A command on its way to a worker, for diagnostics (<see cref="CoordinatorNodeOptions.CommandQueued"/>):
/// which session it goes to, its sequence there, and when the population machine decided it.
/// </summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="LeaseEpoch">The lease (and so the session) it was queued on.</param>
/// <param name="Sequence">The command's <c>sequence</c> on that session.</param>
/// <param name="DecidedTimestamp">
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the population machine returned
/// it: the latency a worker sees counts from here, through persisting and routing, to its receipt.
/// </param>
public readonly record struct CommandTrace(string WorkerId, long LeaseEpoch, long Sequence, long DecidedTimestamp);
