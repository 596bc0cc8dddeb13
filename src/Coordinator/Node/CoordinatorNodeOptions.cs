using HyperSwarm.Coordinator.Membership;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Telemetry;
using Grpc.Core;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperSwarm.Coordinator.Node;

/// <summary>What a <see cref="CoordinatorNode"/> serves, stores and decides with (docs/coordinator.md).</summary>
public sealed record CoordinatorNodeOptions
{
    /// <summary>The durable memory, opened by the caller, who also disposes it after the node has stopped.</summary>
    public required IPopulationStore Store { get; init; }

    /// <summary>The run's id; a store that belongs to another run is refused.</summary>
    public required string RunId { get; init; }

    /// <summary>The resolved run configuration (YAML): stored once and handed to every joining worker.</summary>
    public string ConfigYaml { get; init; } = "";

    /// <summary>
    /// PBT settings for a new run. A restarted node continues with the settings stored with the
    /// run, whatever these say: a population cannot change its rules halfway.
    /// </summary>
    public PopulationOptions Population { get; init; } = new();

    /// <summary>Seed of the population's random draws (partners, explore) for a new run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Leases: how long a joining worker has to reach the cluster, how long a restarted coordinator waits for its workers.</summary>
    public MembershipOptions Membership { get; init; } = new();

    /// <summary>Where and how the gRPC service listens: loopback on an ephemeral port, no token, unless told otherwise.</summary>
    public GrpcHostOptions Server { get; init; } = new();

    /// <summary>
    /// The node's place in the Akka cluster: where Akka.Remote listens (loopback, an ephemeral
    /// port), failure detection and the split-brain resolver. Its roles are set by the node. With
    /// <see cref="ClusterSecurity.Open"/> and a <see cref="GrpcHostOptions.Token"/>, Akka.Remote
    /// runs mutual TLS from that token (<see cref="EffectiveCluster"/>).
    /// </summary>
    public ClusterNodeOptions Cluster { get; init; } = new() { Roles = [ClusterBootstrap.CoordinatorRole] };

    /// <summary>
    /// Called once the coordinator's host is built and before it starts: adds telemetry, a
    /// scrape endpoint or more services to it (the Cli's <c>coordinator</c> command does).
    /// </summary>
    public Action<GrpcHost>? ConfigureHost { get; init; }

    /// <summary>How often the population ranks itself (one <see cref="TimerTicked"/> per interval).</summary>
    public TimeSpan SelectionInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often leases whose node never joined are looked for; null for half the heartbeat interval.</summary>
    public TimeSpan? SweepInterval { get; init; }

    /// <summary>
    /// Plain reports (those that decide nothing) are written to the store at most this often,
    /// the latest per member: a crash loses at most this much of them (docs/coordinator.md).
    /// </summary>
    public TimeSpan ReportFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A snapshot is saved after this many log rows, so a restart replays at most about that
    /// many (some seconds of work). A snapshot serialises every member, so not much more often.
    /// </summary>
    public int SnapshotEvery { get; init; } = 10_000;

    /// <summary>
    /// Delete checkpoints nothing can need any more. Only when workers write them where this
    /// process sees them at the same paths (one machine, or a shared run directory).
    /// </summary>
    public bool CollectCheckpoints { get; init; }

    /// <summary>Each member's newest checkpoints that GC keeps: 2, so a corrupt newest one can fall back.</summary>
    public int KeepCheckpointsPerMember { get; init; } = 2;

    /// <summary>Least time between two checkpoint GC passes (a pass reads the whole registry).</summary>
    public TimeSpan CheckpointGcInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a member this node has running on a worker may be missing from that worker's
    /// heartbeats before it counts as failed there (the wire has no failure message: a member
    /// that ended on its own, or never started, just stops being listed). Covers a start still
    /// queued behind a stopping run.
    /// </summary>
    public TimeSpan MemberAbsenceGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most inputs applied in one actor turn, i.e. persisted in one store transaction.</summary>
    public int MaxInputsPerTurn { get; init; } = 1024;

    /// <summary>Worker messages that may wait for the population actor before sessions stop reading (backpressure).</summary>
    public int InboxCapacity { get; init; } = 8192;

    /// <summary>Events a WatchEvents caller may fall behind before its stream is ended (it resumes from its last sequence).</summary>
    public int WatcherBacklog { get; init; } = 4096;

    /// <summary>The clock of timers, leases and event times; tests pass a manual one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Metrics and traces; null for a private instance the node disposes.</summary>
    public HyperSwarmTelemetry? Telemetry { get; init; }

    /// <summary>Where the node logs.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Called for every command sent to a worker (diagnostics and benchmarks); runs on the population actor, keep it cheap.</summary>
    public Action<CommandTrace>? CommandQueued { get; init; }

    /// <summary>Throws one sentence naming the first impossible setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Store);
        ArgumentException.ThrowIfNullOrWhiteSpace(RunId);
        ArgumentNullException.ThrowIfNull(Population);
        Population.Validate();
        ArgumentNullException.ThrowIfNull(Membership);
        Membership.Validate();
        ArgumentNullException.ThrowIfNull(Server);
        ArgumentNullException.ThrowIfNull(Cluster);
        if (SelectionInterval <= TimeSpan.Zero) throw new ArgumentException($"the selection interval must be positive, got {SelectionInterval}.");
        if (SweepInterval is { } sweep && sweep <= TimeSpan.Zero) throw new ArgumentException($"the sweep interval must be positive, got {sweep}.");
        if (ReportFlushInterval <= TimeSpan.Zero) throw new ArgumentException($"the report flush interval must be positive, got {ReportFlushInterval}.");
        if (SnapshotEvery < 1) throw new ArgumentException($"snapshots must be taken every 1 or more rows, got {SnapshotEvery}.");
        if (MemberAbsenceGrace <= TimeSpan.Zero) throw new ArgumentException($"The member absence grace must be positive, got {MemberAbsenceGrace}.");
        if (KeepCheckpointsPerMember < 1) throw new ArgumentException($"GC must keep at least 1 checkpoint per member, got {KeepCheckpointsPerMember}.");
        if (CheckpointGcInterval < TimeSpan.Zero) throw new ArgumentException($"the checkpoint GC interval cannot be negative, got {CheckpointGcInterval}.");
        if (MaxInputsPerTurn < 1) throw new ArgumentException($"a turn must take at least 1 input, got {MaxInputsPerTurn}.");
        if (InboxCapacity < 1) throw new ArgumentException($"the inbox must hold at least 1 message, got {InboxCapacity}.");
        if (WatcherBacklog < 1) throw new ArgumentException($"a watcher's backlog must be at least 1 event, got {WatcherBacklog}.");
        ArgumentNullException.ThrowIfNull(Time);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }

    internal TimeSpan EffectiveSweepInterval => SweepInterval ?? Membership.HeartbeatInterval / 2;

    /// <summary>The cluster settings as the node runs them: the token secures Akka.Remote too unless other security was given.</summary>
    internal ClusterNodeOptions EffectiveCluster =>
        Cluster.Security is ClusterSecurity.None && Server.Token is { } token ? Cluster with { Security = new ClusterSecurity.Token(token) } : Cluster;
}
