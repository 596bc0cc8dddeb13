using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HyperSwarm.Protocol.Hosting;

namespace HyperSwarm.Protocol.Cluster;

/// <summary>
/// A TLS identity every holder of the cluster token derives for itself, so the token alone is
/// enough for mutual TLS on Akka.Remote: the P-256 private key is HKDF-SHA256 of the token, so
/// every node has the same key pair, and a peer is accepted when its certificate carries that
/// public key. Without the token no process can make such a certificate.
/// </summary>
public static class ClusterCertificate
{
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("hyperswarm-cluster-tls-v1");
    private static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A self-signed certificate with the token's key pair and its private key.</summary>
    public static X509Certificate2 FromToken(ClusterToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        using var key = KeyOf(token);
        var request = new CertificateRequest("CN=hyperswarm-cluster", key, HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(NotBefore, NotAfter);
        // Through PKCS#12, so the private key is one SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The public key (SubjectPublicKeyInfo) every token holder presents.</summary>
    public static byte[] PublicKeyOf(ClusterToken token)
    {
        using var key = KeyOf(token);
        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>True when <paramref name="peer"/> carries the public key of <paramref name="expected"/> (from <see cref="PublicKeyOf"/>).</summary>
    public static bool Carries(X509Certificate2? peer, byte[] expected)
    {
        if (peer?.GetECDsaPublicKey() is not { } key) return false;
        using (key)
        {
            return CryptographicOperations.FixedTimeEquals(key.ExportSubjectPublicKeyInfo(), expected);
        }
    }

    // A scalar of 32 bytes from the token; one in about 2^32 is not below the curve order, and
    // the next counter value is tried (deterministically) until one is.
    private static ECDsa KeyOf(ClusterToken token)
    {
        var secret = Encoding.ASCII.GetBytes(token.HeaderValue);
        for (byte counter = 0; ; counter++)
        {
            var d = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, Salt, [counter]);
            try
            {
                return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            }
            catch (CryptographicException) when (counter < byte.MaxValue)
            {
                // Out of range for P-256: derive the next candidate.
            }
        }
    }
}
