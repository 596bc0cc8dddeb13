using HyperSwarm.Coordinator.Population;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// What the population actor handles, in arrival order. Worker messages (<see cref="WorkerInput"/>)
/// count against the inbox's backpressure; timers and joins do not, so a flood of reports can
/// delay a selection round but never drop it.
/// </summary>
internal abstract record NodeInput;

/// <summary>A message from a worker's session, already converted and validated by the session.</summary>
internal abstract record WorkerInput(WorkerLink Link) : NodeInput;

/// <summary>A member report; <paramref name="Wire"/> feeds telemetry.</summary>
internal sealed record ReportReceived(WorkerLink Link, MemberReported Input, MemberReport Wire) : WorkerInput(Link);

/// <summary>A checkpoint notice.</summary>
internal sealed record NoticeReceived(WorkerLink Link, CheckpointWritten Input) : WorkerInput(Link);

/// <summary>A heartbeat's list of the members running on its worker, as read at <paramref name="ReceivedAt"/> (its timing went to the registry already).</summary>
internal sealed record HeartbeatReceived(WorkerLink Link, IReadOnlyList<string> MemberIds, DateTimeOffset ReceivedAt) : WorkerInput(Link);

/// <summary>A worker asks to join; answered once the lease epoch is durable.</summary>
internal sealed record JoinRequested(JoinRequest Request, TaskCompletionSource<JoinResponse> Reply) : NodeInput;

/// <summary>Time to ask the failure detector who is down.</summary>
internal sealed record SweepDue : NodeInput;

/// <summary>Time for a selection round.</summary>
internal sealed record SelectionDue : NodeInput;

/// <summary>Time to write the plain reports held back since the last write.</summary>
internal sealed record FlushDue : NodeInput;
