namespace HyperSwarm.Coordinator.Membership;

/// <summary>The result of <see cref="WorkerRegistry.Join"/>.</summary>
/// <param name="Lease">The new lease. Persist <see cref="WorkerLease.Epoch"/> as the last issued epoch before replying.</param>
/// <param name="Superseded">
/// The worker's previous lease when it was still live: the worker restarted, so that lease's
/// members are lost just as if it had gone down. Null when there was none or it had already ended.
/// </param>
public sealed record JoinOutcome(WorkerLease Lease, WorkerDown? Superseded);
