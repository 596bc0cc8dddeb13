using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;

namespace HyperSwarm.Protocol.Cluster;

/// <summary>
/// Starts a node's actor system as a member of the HyperSwarm cluster: Akka.Remote on the
/// node's endpoint (mutual TLS when the cluster has a token or certificates), its roles, the
/// split-brain resolver and failure detector settings (docs/membership.md), and the protobuf
/// serializer with string manifests for every message that crosses between nodes.
/// </summary>
public static class ClusterBootstrap
{
    /// <summary>The role of the node that hosts the coordinator singleton.</summary>
    public const string CoordinatorRole = "coordinator";

    /// <summary>The role of nodes that host members.</summary>
    public const string WorkerRole = "worker";

    /// <summary>The name, under <c>/user</c>, of the coordinator node's actor that takes every worker's messages.</summary>
    public const string PopulationGateway = "population";

    /// <summary>The name, under <c>/user</c>, of the actor on a worker node that takes the coordinator's commands.</summary>
    public const string WorkerPostbox = "worker";

    /// <summary>Creates the actor system and starts joining (itself, when there are no seeds).</summary>
    public static ActorSystem Start(ClusterNodeOptions options)
    {
        var system = Create(options);
        Join(system, options);
        return system;
    }

    /// <summary>Creates the actor system without joining yet: its owner subscribes to cluster events first.</summary>
    public static ActorSystem Create(ClusterNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ActorSystem.Create(ClusterNodeOptions.SystemName, Setup(options));
    }

    /// <summary>Starts joining the seed nodes of <paramref name="options"/>, or itself when there are none.</summary>
    public static void Join(ActorSystem system, ClusterNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var seeds = options.SeedNodes.Select(s => SeedAddress(s, options.Security)).ToList();
        cluster.JoinSeedNodes(seeds.Count > 0 ? seeds : [cluster.SelfAddress]);
    }

    /// <summary>
    /// Joins the cluster through <paramref name="seed"/> (the node's own address: it starts the
    /// cluster) and completes once this node is up, a member the others see.
    /// </summary>
    /// <exception cref="TimeoutException">Not up within <paramref name="within"/> (the seed unreachable, or a TLS handshake refused).</exception>
    public static Task JoinAsync(ActorSystem system, Address seed, TimeSpan within, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(seed);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.JoinSeedNodes([seed]);
        return up.Task.WaitAsync(within, time, cancellationToken);
    }

    /// <summary>The address of the node at <paramref name="hostPort"/> (<c>host:port</c>).</summary>
    /// <exception cref="FormatException">Not <c>host:port</c>.</exception>
    public static Address SeedAddress(string hostPort, ClusterSecurity security)
    {
        ArgumentNullException.ThrowIfNull(hostPort);
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{hostPort}' is not host:port.");
        }

        return new Address(Scheme(security), ClusterNodeOptions.SystemName, hostPort[..colon].Trim('[', ']'), port);
    }

    /// <summary>The system's setup: HOCON, plus the TLS setup when the cluster is secured.</summary>
    public static ActorSystemSetup Setup(ClusterNodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = ConfigurationFactory.ParseString(options.ExtraConfig).WithFallback(ConfigurationFactory.ParseString(Hocon(options)));
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        return options.Security switch
        {
            ClusterSecurity.Token token => bootstrap.And(TokenTls(token)),
            ClusterSecurity.Certificate certificate => bootstrap.And(CertificateTls(certificate)),
            _ => ActorSystemSetup.Create(bootstrap),
        };
    }

    private static string Scheme(ClusterSecurity security) => security is ClusterSecurity.None ? "akka.tcp" : "akka.ssl.tcp";

    private static DotNettySslSetup TokenTls(ClusterSecurity.Token token)
    {
        var expected = ClusterCertificate.PublicKeyOf(token.Value);
        // Self-signed on purpose: the chain proves nothing, the key does.
        return new DotNettySslSetup(ClusterCertificate.FromToken(token.Value), suppressValidation: false, requireMutualAuthentication: true,
            (certificate, _, _, _, _) => ClusterCertificate.Carries(certificate, expected));
    }

    private static DotNettySslSetup CertificateTls(ClusterSecurity.Certificate certificate)
    {
        var pinned = certificate.PinnedThumbprints;
        return new DotNettySslSetup(certificate.Value, suppressValidation: false, requireMutualAuthentication: true,
            (peer, _, _, errors, _) => peer is not null && (pinned is null
                ? errors == SslPolicyErrors.None || errors == SslPolicyErrors.RemoteCertificateNameMismatch
                : pinned.Contains(peer.Thumbprint, StringComparer.OrdinalIgnoreCase)));
    }

    private static string Hocon(ClusterNodeOptions o)
    {
        var bind = o.Endpoint.Address;
        var wildcard = bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any);
        var publicHost = o.PublicHostname ?? (wildcard ? Dns.GetHostName() : bind.ToString());
        var roles = string.Join(", ", o.Roles.Select(Quote));
        var secured = o.Security is ClusterSecurity.None ? "off" : "on";
        var serializer = Quote(typeof(ProtobufMessageSerializer).AssemblyQualifiedNameWithoutVersion());
        return $$"""
            akka {
              loglevel = {{o.LogLevel}}
              stdout-loglevel = {{o.LogLevel}}
              log-dead-letters-during-shutdown = off
              # The owner of the node decides when it stops (Ctrl+C, SIGTERM): not a CLR exit hook.
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              actor {
                provider = cluster
                serializers { hyperswarm-protobuf = {{serializer}} }
                # Every protobuf message goes through ours: string manifests, never CLR type names.
                serialization-bindings { "Google.Protobuf.IMessage, Google.Protobuf" = hyperswarm-protobuf }
              }
              remote.dot-netty.tcp {
                hostname = {{Quote(bind.ToString())}}
                public-hostname = {{Quote(publicHost)}}
                port = {{o.Endpoint.Port}}
                enable-ssl = {{secured}}
              }
              cluster {
                roles = [{{roles}}]
                log-info = off
                # A downed node's actor system terminates (the worker then joins again afresh).
                run-coordinated-shutdown-when-down = on
                failure-detector {
                  heartbeat-interval = {{Ms(o.HeartbeatInterval)}}
                  acceptable-heartbeat-pause = {{Ms(o.AcceptableHeartbeatPause)}}
                  threshold = 8.0
                }
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  # The side that holds the coordinator lives; workers cut off from it are downed
                  # and their members move (docs/membership.md, "Split brain").
                  active-strategy = static-quorum
                  stable-after = {{Ms(o.StableAfter)}}
                  static-quorum { quorum-size = 1, role = {{Quote(CoordinatorRole)}} }
                }
                # Members as sharded entities (MemberSharding, docs/membership.md): every node runs a
                # region, so the shard coordinator runs on the oldest node, the coordinator.
                sharding {
                  role = ""
                  # Its state is only where each lease's shard lives, rebuilt as workers rejoin: the
                  # population's own record is the event log. No journal, no remembered entities.
                  state-store-mode = ddata
                  remember-entities = off
                  # LightningDB, which the durable ddata store needs, does not load here (FEED.md).
                  distributed-data.durable.keys = []
                  # A majority of the nodes, no more: a worker that just died must not stall the
                  # allocation of a shard for the worker that takes its members over.
                  coordinator-state { write-majority-plus = 0, read-majority-plus = 0 }
                  # A new lease's region registers within a heartbeat; the sender asks again this often.
                  retry-interval = 250ms
                  # An entity is a member's place on its lease's node; it lives as long as the lease.
                  passivate-idle-entity-after = off
                }
              }
            }
            """;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static string AssemblyQualifiedNameWithoutVersion(this Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
