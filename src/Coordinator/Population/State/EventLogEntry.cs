namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// One append-only entry of the population event log: every decision and every refusal, with
/// the reason a person reads on the dashboard. <see cref="Kind"/> is one of <see cref="EventKinds"/>.
/// </summary>
public sealed record EventLogEntry(long Sequence, DateTimeOffset At, string Kind, string? MemberId, string? WorkerId, string Reason);
