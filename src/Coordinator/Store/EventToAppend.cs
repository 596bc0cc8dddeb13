namespace HyperSwarm.Coordinator.Store;

/// <summary>One event of a batch for <see cref="IPopulationStore.AppendBatchAsync"/>: the columns of a <see cref="StoredEvent"/> before the store numbers and stamps it.</summary>
/// <param name="Kind">What happened, in the state machine's words (e.g. "exploit").</param>
/// <param name="MemberId">The member it concerns, if any.</param>
/// <param name="WorkerId">The worker it concerns, if any.</param>
/// <param name="Reason">Why, for people reading the log.</param>
/// <param name="PayloadJson">The state machine's own data, opaque to the store.</param>
public sealed record EventToAppend(string Kind, string? MemberId, string? WorkerId, string? Reason, string PayloadJson);
