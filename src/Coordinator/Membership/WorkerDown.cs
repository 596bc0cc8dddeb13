namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// A lease that ended without the worker asking: its members must be resumed elsewhere.
/// Returned by <see cref="WorkerRegistry.NodeDown"/>, <see cref="WorkerRegistry.Sweep"/> and <see cref="WorkerRegistry.Join"/>.
/// </summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Epoch">The epoch of the lease that ended; anything still carrying it is fenced.</param>
/// <param name="Reason">Why it ended.</param>
public sealed record WorkerDown(string WorkerId, long Epoch, DownReason Reason);
