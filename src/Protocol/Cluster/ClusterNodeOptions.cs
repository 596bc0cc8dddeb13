using System.Net;

namespace HyperSwarm.Protocol.Cluster;

/// <summary>How one node's actor system joins the HyperSwarm Akka cluster (docs/membership.md).</summary>
public sealed record ClusterNodeOptions
{
    /// <summary>The actor system's name: the same on every node of a cluster, part of every address.</summary>
    public const string SystemName = "hyperswarm";

    /// <summary>This node's roles: <c>coordinator</c>, <c>worker</c>, or both (an embedded run).</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>Where Akka.Remote listens: loopback and a free port unless told otherwise (DESIGN.md §5).</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The host name other nodes reach this one at; null for the bound address (the machine's name when bound to a wildcard).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>Nodes to join, <c>host:port</c>; empty for a node that starts the cluster (it joins itself).</summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>What a node must hold to join: nothing, the cluster token, or a certificate.</summary>
    public ClusterSecurity Security { get; init; } = ClusterSecurity.Open;

    /// <summary>Heartbeats between nodes (Akka's failure detector).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Silence the failure detector forgives before it grows suspicious. Training runs on its own
    /// threads, so a long GPU step does not delay heartbeats; this covers GC pauses and a busy host.
    /// </summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long membership must be stable before the split-brain resolver downs the unreachable side.</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>More HOCON from the node's owner (dispatchers, sharding), layered over this node's settings.</summary>
    public string ExtraConfig { get; init; } = "";

    /// <summary>Akka's own log level (<c>WARNING</c>: its chatter stays out of the displays).</summary>
    public string LogLevel { get; init; } = "WARNING";

    /// <summary>Throws one sentence naming the first impossible setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Roles);
        if (Roles.Count == 0) throw new ArgumentException("a cluster node needs at least one role.");
        ArgumentNullException.ThrowIfNull(Endpoint);
        ArgumentNullException.ThrowIfNull(SeedNodes);
        ArgumentNullException.ThrowIfNull(Security);
        if (HeartbeatInterval <= TimeSpan.Zero) throw new ArgumentException($"the heartbeat interval must be positive, got {HeartbeatInterval}.");
        if (AcceptableHeartbeatPause < TimeSpan.Zero) throw new ArgumentException($"the acceptable heartbeat pause cannot be negative, got {AcceptableHeartbeatPause}.");
        if (StableAfter <= TimeSpan.Zero) throw new ArgumentException($"stable-after must be positive, got {StableAfter}.");
    }
}
