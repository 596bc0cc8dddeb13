using HyperSwarm.GpuActors.Checkpoints;
using System.Net;
using HyperSwarm.Cli.Network;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using Grpc.Core;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Cli.Worker;

/// <summary>What <c>hyperswarm worker</c> was asked for, checked: every value here can be used as is.</summary>
internal sealed record WorkerRequest
{
    /// <summary>The coordinator's URL.</summary>
    public required Uri Coordinator { get; init; }

    /// <summary>This worker's name in the cluster.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Device names, normalised (<c>cpu</c>, <c>cuda:0</c>).</summary>
    public required IReadOnlyList<string> Devices { get; init; }

    /// <summary>Member slots; null for one per device.</summary>
    public int? Capacity { get; init; }

    /// <summary>Where the Worker service (checkpoint streaming, status) binds.</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>Where the node's Akka.Remote binds (its place in the cluster).</summary>
    public required IPEndPoint ClusterListen { get; init; }

    /// <summary>The certificate Akka.Remote's mutual TLS uses (<c>--cluster-certificate</c>); null for the key derived from the token, or none.</summary>
    public ClusterSecurity? ClusterSecurity { get; init; }

    /// <summary>The host name other nodes reach this one's Akka.Remote at; null for the bound address (the machine's name on a wildcard).</summary>
    public string? ClusterHost { get; init; }

    /// <summary><c>host:port</c> other workers fetch checkpoints from; null for the bound address.</summary>
    public string? Advertise { get; init; }

    /// <summary>The folder of the members' run directories.</summary>
    public required string CheckpointRoot { get; init; }

    /// <summary>Whether <see cref="CheckpointRoot"/> is the same shared folder on every worker.</summary>
    public bool SharedCheckpoints { get; init; }

    /// <summary>The file holding the cluster token; null for <c>HYPERSWARM_CLUSTER_TOKEN</c> or none.</summary>
    public string? TokenFile { get; init; }

    /// <summary>libtorch threads per member; null for the cores shared among the slots.</summary>
    public int? Threads { get; init; }

    /// <summary>This machine's dataset folder, overriding the run config's <c>data.path</c>.</summary>
    public string? DataPath { get; init; }

    /// <summary>Give up when the first join has not succeeded by then; null to keep trying for ever.</summary>
    public TimeSpan? JoinTimeout { get; init; }

    /// <summary>Faults to inject on purpose, from <see cref="NanFailpoints.Variable"/> (tests with real processes).</summary>
    public NanFailpoints Failpoints { get; init; } = NanFailpoints.None;

    /// <summary>The node's options for this request; the caller adds its hooks.</summary>
    public WorkerNodeOptions ToOptions(Func<RunConfig, StartMember, TrainConfig> memberConfig, ClusterToken? token, ILoggerFactory loggers) => new()
    {
        WorkerId = WorkerId,
        Coordinator = Coordinator,
        CheckpointRoot = CheckpointRoot,
        MemberConfig = memberConfig,
        Devices = Devices,
        Capacity = Capacity,
        ServiceEndpoint = Listen,
        Cluster = new ClusterNodeOptions
        {
            Roles = [ClusterBootstrap.WorkerRole], Endpoint = ClusterListen, PublicHostname = ClusterHost,
            Security = ClusterSecurity ?? HyperSwarm.Protocol.Cluster.ClusterSecurity.Open,
        },
        AdvertisedAddress = Advertise,
        SharedCheckpoints = SharedCheckpoints,
        Token = token,
        TorchThreadsPerMember = Threads,
        Failpoints = Failpoints,
        LoggerFactory = loggers,
    };
}
