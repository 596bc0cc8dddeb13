using HyperSwarm.GpuActors.Checkpoints;
using System.Net;
using HyperSwarm.GpuActors.Training;
using Grpc.Core;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>How a <see cref="WorkerNode"/> joins its coordinator and trains its members.</summary>
public sealed record WorkerNodeOptions
{
    /// <summary>The worker's name in the cluster, unique per node.</summary>
    public required string WorkerId { get; init; }

    /// <summary>The coordinator, e.g. <c>http://10.0.0.1:7000</c>.</summary>
    public required Uri Coordinator { get; init; }

    /// <summary>Where members keep their run directories and checkpoints (see <see cref="Worker.CheckpointRoot"/>).</summary>
    public required string CheckpointRoot { get; init; }

    /// <summary>
    /// The training config of a member the coordinator starts, from the run's config (YAML,
    /// in <see cref="RunConfig.ConfigYaml"/>) and the command (its member id, for a per-member
    /// seed). Throw <see cref="ArgumentException"/> or <see cref="FormatException"/> for one
    /// that cannot be used: the member is then not started, and the worker goes on.
    /// </summary>
    public required Func<RunConfig, StartMember, TrainConfig> MemberConfig { get; init; }

    /// <summary>Device names, <c>cpu</c> or <c>cuda:N</c>: each is a member slot, and a member trains on its slot's device.</summary>
    public IReadOnlyList<string> Devices { get; init; } = ["cpu"];

    /// <summary>Member slots offered; null for one per device.</summary>
    public int? Capacity { get; init; }

    /// <summary>Where the Worker service (checkpoint streaming, status) listens: loopback and a free port unless told otherwise.</summary>
    public IPEndPoint ServiceEndpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// The node's place in the Akka cluster: where Akka.Remote listens (loopback, an ephemeral
    /// port, unless told otherwise), the host name others reach it at, failure detection. Its
    /// roles and seed are set by the node (the seed comes from the coordinator's Join answer).
    /// With <see cref="ClusterSecurity.Open"/> and a <see cref="Token"/>, Akka.Remote runs mutual
    /// TLS from that token.
    /// </summary>
    public ClusterNodeOptions Cluster { get; init; } = new() { Roles = [ClusterBootstrap.WorkerRole] };

    /// <summary><c>host:port</c> other workers reach the Worker service at; null for the address it bound.</summary>
    public string? AdvertisedAddress { get; init; }

    /// <summary>
    /// True when <see cref="CheckpointRoot"/> is on storage every worker reads at the same path:
    /// checkpoint references then carry no worker address and are read in place.
    /// </summary>
    public bool SharedCheckpoints { get; init; }

    /// <summary>Called once the Worker service's host is built and before it starts: adds telemetry to it (the Cli's <c>worker</c> command does).</summary>
    public Action<GrpcHost>? ConfigureHost { get; init; }

    /// <summary>The cluster token sent to the coordinator and other workers, and required by this worker's service.</summary>
    public ClusterToken? Token { get; init; }

    /// <summary>libtorch threads per member; null for the cores divided among the slots.</summary>
    public int? TorchThreadsPerMember { get; init; }

    /// <summary>Weight steps between member reports; 0 uses each member's <c>reporting.log_every_steps</c>.</summary>
    public int ReportEverySteps { get; init; }

    /// <summary>Faults to inject on purpose (tests with real processes, <see cref="NanFailpoints"/>); none by default.</summary>
    public NanFailpoints Failpoints { get; init; } = NanFailpoints.None;

    /// <summary>How reconnecting backs off while the coordinator is unreachable.</summary>
    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>The clock of heartbeats, the cluster join's deadline and reconnect backoff.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The version sent in <c>Join</c>.</summary>
    public string Version { get; init; } = typeof(WorkerNode).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Hears every member event after the node has acted on it (progress lines, tests); called
    /// on the node's event loop, so keep it quick and do not throw.
    /// </summary>
    public Action<MemberEvent>? OnMemberEvent { get; init; }

    /// <summary>
    /// Hears every successful join, with the coordinator's answer (lease, run), before the
    /// session opens: a command line says it is connected, or stops waiting for a first join.
    /// Keep it quick and do not throw.
    /// </summary>
    public Action<JoinResponse>? OnJoined { get; init; }

    /// <summary>
    /// Hears every failed join or session that will be retried: the status it failed with and
    /// the wait before the next attempt, so a command line can say it keeps trying. Keep it
    /// quick and do not throw.
    /// </summary>
    public Action<RpcException, TimeSpan>? OnUnreachable { get; init; }

    /// <summary>Where the node logs.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal int SlotCount => Capacity ?? Devices.Count;

    /// <summary>The cluster settings as the node runs them: the worker role, no seed until Join names one, and the token securing Akka.Remote unless other security was given.</summary>
    internal ClusterNodeOptions EffectiveCluster
    {
        get
        {
            var cluster = Cluster with { Roles = [ClusterBootstrap.WorkerRole], SeedNodes = [] };
            return cluster.Security is ClusterSecurity.None && Token is { } token ? cluster with { Security = new ClusterSecurity.Token(token) } : cluster;
        }
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerId);
        ArgumentNullException.ThrowIfNull(Coordinator);
        ArgumentException.ThrowIfNullOrWhiteSpace(CheckpointRoot);
        ArgumentNullException.ThrowIfNull(MemberConfig);
        ArgumentNullException.ThrowIfNull(Cluster);
        if (Devices.Count == 0) throw new ArgumentException("a worker needs at least one device.");
        foreach (var device in Devices) Torch.Device.Parse(device);
        if (SlotCount < 1) throw new ArgumentException($"capacity must be at least 1, got {SlotCount}.");
        if (TorchThreadsPerMember is < 1) throw new ArgumentException($"torch threads per member must be at least 1, got {TorchThreadsPerMember}.");
        if (ReportEverySteps < 0) throw new ArgumentException($"report every steps must be ≥ 0, got {ReportEverySteps}.");
        Reconnect.Validate();
    }
}
