using System.Security.Cryptography.X509Certificates;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>What a handler knows about its call: metadata, deadline, peer and cancellation.</summary>
public sealed class ServerCallContext
{
    internal ServerCallContext(
        string method,
        Metadata requestHeaders,
        DateTime? deadline,
        string peer,
        X509Certificate2? clientCertificate,
        CancellationToken cancellationToken)
    {
        Method = method;
        RequestHeaders = requestHeaders;
        Deadline = deadline;
        Peer = peer;
        ClientCertificate = clientCertificate;
        CancellationToken = cancellationToken;
    }

    /// <summary>The <c>/package.Service/Method</c> path of the call.</summary>
    public string Method { get; }

    /// <summary>Custom metadata the client sent.</summary>
    public Metadata RequestHeaders { get; }

    /// <summary>Metadata sent with the response headers; add to it before the first write.</summary>
    public Metadata ResponseHeaders { get; } = new();

    /// <summary>Metadata sent with the status in the trailers.</summary>
    public Metadata ResponseTrailers { get; } = new();

    /// <summary>The UTC deadline from <c>grpc-timeout</c>, or null when the client set none.</summary>
    public DateTime? Deadline { get; }

    /// <summary>The client's address, e.g. <c>127.0.0.1:50312</c>.</summary>
    public string Peer { get; }

    /// <summary>The client certificate when the connection is TLS and the client sent one.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>
    /// Cancelled when the client cancels or disconnects, the deadline passes, or the server
    /// shuts down (GRPC.md §1.6).
    /// </summary>
    public CancellationToken CancellationToken { get; }
}
