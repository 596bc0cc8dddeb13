using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>How a <see cref="GrpcServer"/> listens and what it accepts.</summary>
public sealed record GrpcServerOptions
{
    /// <summary>Where to listen. Loopback and an ephemeral port unless told otherwise (DESIGN.md §5).</summary>
    public IPEndPoint Endpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>Serve TLS with this certificate; null serves HTTP/2 cleartext (h2c).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Whether TLS clients must, may or need not present a certificate.</summary>
    public ClientCertificateMode ClientCertificateMode { get; init; } = ClientCertificateMode.NoCertificate;

    /// <summary>Checks a client certificate; null accepts one that chains to a trusted root.</summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }

    /// <summary>The cluster token every call must carry; null lets any caller in.</summary>
    public ClusterToken? Token { get; init; }

    /// <summary>Largest request message accepted (GRPC.md §1.2: 4 MiB by default).</summary>
    public int MaxReceiveMessageSize { get; init; } = LengthPrefixedMessage.DefaultMaxReceiveSize;

    /// <summary>Largest response message sent; a bigger one fails the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; init; } = int.MaxValue;

    /// <summary>Concurrent streams per HTTP/2 connection; Kestrel's default of 100 is low (GRPC.md §1.7 step 10).</summary>
    public int MaxStreamsPerConnection { get; init; } = 1000;

    /// <summary>How long a stop waits for calls in flight before aborting them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the server logs; nothing by default.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
