using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>How a <see cref="GrpcHost"/> listens and what it accepts.</summary>
public sealed record GrpcHostOptions
{
    /// <summary>The 4 MiB receive limit gRPC implementations default to (GRPC.md §1.2).</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Where gRPC listens. Loopback and an ephemeral port unless told otherwise (DESIGN.md §5).</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// A second, HTTP/1.1 listener for plain web endpoints (the Prometheus scrape endpoint):
    /// the gRPC listener speaks HTTP/2 only (h2c has no upgrade in Kestrel). Null: none.
    /// </summary>
    public IPEndPoint? HttpEndpoint { get; init; }

    /// <summary>Serve TLS with this certificate; null serves HTTP/2 cleartext (h2c).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Whether TLS clients must, may or need not present a certificate.</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.NoCertificate;

    /// <summary>Checks a client certificate; null accepts one that chains to a trusted root.</summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }

    /// <summary>The cluster token every call must carry (health checks excepted); null lets any caller in.</summary>
    public ClusterToken? Token { get; init; }

    /// <summary>Largest request message accepted; a bigger one gets RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; init; } = DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent; null for no limit.</summary>
    public int? MaxSendMessageSize { get; init; }

    /// <summary>
    /// Concurrent streams per HTTP/2 connection; Kestrel's default of 100 is low (GRPC.md §1.7
    /// step 10). At least 100: Grpc.Net.Client opens up to 100 streams on a new connection before
    /// it learns a lower limit, and the server then resets the extra ones (measured: a limit of 50
    /// failed a burst of 200 calls every time).
    /// </summary>
    public int MaxStreamsPerConnection { get; init; } = 1000;

    /// <summary>How long a stop waits for calls in flight before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the host logs; nothing by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Throws one sentence naming the first impossible setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        if (MaxReceiveMessageSize < 1) throw new ArgumentException($"the receive limit must be positive, got {MaxReceiveMessageSize} bytes.");
        if (MaxSendMessageSize is < 1) throw new ArgumentException($"the send limit must be positive, got {MaxSendMessageSize} bytes.");
        if (MaxStreamsPerConnection < 100) throw new ArgumentException($"at least 100 streams per connection are needed (clients open that many before they learn a lower limit), got {MaxStreamsPerConnection}.");
        if (ShutdownTimeout < TimeSpan.Zero) throw new ArgumentException($"the shutdown timeout cannot be negative, got {ShutdownTimeout}.");
        ArgumentNullException.ThrowIfNull(LoggerFactory);
    }
}
