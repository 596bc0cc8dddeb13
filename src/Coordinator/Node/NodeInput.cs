using HyperSwarm.Coordinator.Cluster;
using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// What the population actor handles, in arrival order. Worker messages (<see cref="WorkerInput"/>)
/// count against the inbox's backpressure; timers and joins do not, so a flood of reports can
/// delay a selection round but never drop it.
/// </summary>
internal abstract record NodeInput;

/// <summary>A message from a worker, already matched to its lease, converted and validated by the gateway.</summary>
internal abstract record WorkerInput(WorkerLink Link) : NodeInput;

/// <summary>A member report; <paramref name="Wire"/> feeds telemetry.</summary>
internal sealed record ReportReceived(WorkerLink Link, MemberReported Input, MemberReport Wire) : WorkerInput(Link);

/// <summary>A checkpoint notice.</summary>
internal sealed record NoticeReceived(WorkerLink Link, CheckpointWritten Input) : WorkerInput(Link);

/// <summary>A heartbeat's list of the members running on its worker, as read at <paramref name="ReceivedAt"/>.</summary>
internal sealed record HeartbeatReceived(WorkerLink Link, IReadOnlyList<string> MemberIds, DateTimeOffset ReceivedAt) : WorkerInput(Link);

/// <summary>
/// An outcome from the worker: a member ended without being told to (finished, failed, or never
/// started: <paramref name="Input"/> is a <see cref="MemberFinished"/> or a <see cref="MemberFailed"/>),
/// or an exchange or exploit failed there (a <see cref="ChangeFailed"/>).
/// </summary>
internal sealed record OutcomeReceived(WorkerLink Link, PopulationInput Input) : WorkerInput(Link);

/// <summary>A drained worker has sent its last: its lease ends as left.</summary>
internal sealed record DepartureReceived(WorkerLink Link, string Reason, DateTimeOffset ReceivedAt) : WorkerInput(Link);

/// <summary>The node is stopping: answered once no drained worker still owes its departure.</summary>
internal sealed record DeparturesAwaited(TaskCompletionSource Done) : NodeInput;

/// <summary>Akka.Cluster's word about a worker node.</summary>
internal sealed record ClusterNodeChanged(ClusterIncarnation Node, NodeChange Change) : NodeInput;

/// <summary>A worker asks to join; answered once the lease epoch is durable.</summary>
internal sealed record JoinRequested(JoinRequest Request, TaskCompletionSource<JoinResponse> Reply) : NodeInput;

/// <summary>Time to end leases whose node never joined the cluster.</summary>
internal sealed record SweepDue : NodeInput;

/// <summary>Time for a selection round.</summary>
internal sealed record SelectionDue : NodeInput;

/// <summary>Time to write the plain reports held back since the last write.</summary>
internal sealed record FlushDue : NodeInput;
