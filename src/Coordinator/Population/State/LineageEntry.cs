namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// One copy between members: <see cref="MemberId"/> took <see cref="SourceMemberId"/>'s
/// hyperparameters (or its checkpoint at <see cref="SourceStep"/>) at its own step
/// <see cref="Step"/>. <see cref="Sequence"/> is the event-log entry that recorded it.
/// </summary>
public sealed record LineageEntry(long Sequence, DateTimeOffset At, string MemberId, string SourceMemberId, ExchangeKind Kind, long Step, long SourceStep);
