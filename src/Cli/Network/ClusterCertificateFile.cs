using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HyperSwarm.Protocol.Cluster;

namespace HyperSwarm.Cli.Network;

/// <summary>
/// The certificate a node presents to the rest of the cluster (<c>--cluster-certificate</c>), with
/// the peers it accepts (<c>--cluster-peers</c>): Akka.Remote then runs mutual TLS with it instead
/// of with the key derived from the cluster token (docs/membership.md).
/// </summary>
internal static class ClusterCertificateFile
{
    /// <summary>The environment variable holding a PKCS#12 file's password, when it has one.</summary>
    public const string PasswordVariable = "HYPERSWARM_CLUSTER_CERTIFICATE_PASSWORD";

    /// <summary>
    /// <see cref="ClusterSecurity.Certificate"/> from <paramref name="path"/> (PEM with the
    /// certificate and its private key, or PKCS#12 as <c>.pfx</c>/<c>.p12</c>); null without a path.
    /// </summary>
    /// <param name="peers">Comma-separated SHA-1 thumbprints of the certificates to accept; null to accept any that chains to a root this machine trusts.</param>
    /// <exception cref="UserError">The file is missing, unreadable or has no private key, or a thumbprint is malformed.</exception>
    public static ClusterSecurity? Load(string? path, string? peers)
    {
        if (path is null)
        {
            return peers is null ? null : throw new UserError("--cluster-peers needs --cluster-certificate: without a certificate the cluster token secures Akka.Remote.");
        }

        var pinned = peers?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Thumbprint).ToArray();
        X509Certificate2 certificate;
        try
        {
            certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, Environment.GetEnvironmentVariable(PasswordVariable))
                : Reload(X509Certificate2.CreateFromPemFile(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserError($"--cluster-certificate {path} does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UserError($"--cluster-certificate {path} cannot be read: permission denied.");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new UserError($"--cluster-certificate {path} holds no usable certificate with its private key: {e.Message.TrimEnd('.')}.");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new UserError($"--cluster-certificate {path} has no private key: the node must prove it holds the certificate.");
        }

        return new ClusterSecurity.Certificate(certificate, pinned);
    }

    // Through PKCS#12, so the key is one SslStream can use on every platform.
    private static X509Certificate2 Reload(X509Certificate2 pem)
    {
        using (pem)
        {
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static string Thumbprint(string text) =>
        text.Length == 40 && text.All(char.IsAsciiHexDigit)
            ? text.ToUpperInvariant()
            : throw new UserError($"--cluster-peers takes SHA-1 thumbprints (40 hex digits), got '{text}'.");
}
