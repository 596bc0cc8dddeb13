using System.Security.Cryptography.X509Certificates;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Protocol.Cluster;

/// <summary>
/// What a node must hold to join the cluster (DESIGN.md §5): nothing (loopback and trusted
/// networks only), the cluster token, or a certificate. With a token or a certificate Akka.Remote
/// runs mutual TLS, so a node without it fails the handshake and never becomes a member.
/// </summary>
public abstract record ClusterSecurity
{
    private ClusterSecurity()
    {
    }

    /// <summary>Plain TCP: any process that reaches the port can join.</summary>
    public static ClusterSecurity Open { get; } = new None();

    /// <summary>No transport security.</summary>
    public sealed record None : ClusterSecurity;

    /// <summary>
    /// Mutual TLS with a key derived from <paramref name="Token"/> (<see cref="ClusterCertificate.FromToken"/>):
    /// every node that holds the token presents the same public key, and a peer presenting any
    /// other key is refused.
    /// </summary>
    public sealed record Token(ClusterToken Value) : ClusterSecurity;

    /// <summary>
    /// Mutual TLS with <paramref name="Certificate"/> (with its private key); a peer is accepted
    /// when its certificate chains to a root this machine trusts, or, with
    /// <paramref name="PinnedThumbprints"/>, only when it is one of those.
    /// </summary>
    public sealed record Certificate(X509Certificate2 Value, IReadOnlyList<string>? PinnedThumbprints = null) : ClusterSecurity;
}
