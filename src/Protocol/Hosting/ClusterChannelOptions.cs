using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>How a <see cref="ClusterChannel"/> reaches its server.</summary>
public sealed record ClusterChannelOptions
{
    /// <summary>The cluster token sent with every call; null sends none.</summary>
    public ClusterToken? Token { get; init; }

    /// <summary>Largest response message accepted (4 MiB by default, GRPC.md §1.2).</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcHostOptions.DefaultMaxReceiveMessageSize;

    /// <summary>Largest request message sent; null for no limit.</summary>
    public int? MaxSendMessageSize { get; init; }

    /// <summary>A certificate to present when the server asks for one (TLS only).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Checks the server's certificate; null uses the system trust store.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>Interval of HTTP/2 PINGs that detect a dead peer (GRPC.md §1.8 step 1).</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a PING may go unanswered before the connection is dropped.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Where the client logs; null for nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
