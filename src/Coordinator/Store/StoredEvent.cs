namespace HyperSwarm.Coordinator.Store;

/// <summary>One entry of the population event log, exactly as it was appended.</summary>
/// <param name="Sequence">Position in the log: 1, 2, 3, … with no gaps.</param>
/// <param name="RecordedAt">When the store appended it (UTC, microsecond precision).</param>
/// <param name="Kind">What happened, in the state machine's words (e.g. "exploit").</param>
/// <param name="MemberId">The member it concerns, if any.</param>
/// <param name="WorkerId">The worker it concerns, if any.</param>
/// <param name="Reason">Why the coordinator decided it, for people reading the log.</param>
/// <param name="PayloadJson">The state machine's own data, opaque to the store.</param>
public sealed record StoredEvent(
    long Sequence,
    DateTimeOffset RecordedAt,
    string Kind,
    string? MemberId,
    string? WorkerId,
    string? Reason,
    string PayloadJson);
