using Grpc.Core;
using Grpc.Net.Client;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>
/// Opens Grpc.Net.Client channels the way every HyperSwarm node dials another: one long-lived
/// HTTP/2 handler that opens more connections rather than queue at a server's stream limit,
/// keep-alive pings to notice a dead peer, TLS options, and the cluster token as call credentials.
/// </summary>
public static class ClusterChannel
{
    /// <summary>
    /// A channel to <paramref name="address"/> (<c>http://</c> for h2c, <c>https://</c> for TLS).
    /// Connections are made on the first call; the caller disposes the channel.
    /// </summary>
    public static GrpcChannel Open(Uri address, ClusterChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new ClusterChannelOptions();
        var secure = address.Scheme == Uri.UriSchemeHttps;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.ClientCertificate is { } certificate) handler.SslOptions.ClientCertificates = [certificate];
        if (options.ServerCertificateValidation is { } validate) handler.SslOptions.RemoteCertificateValidationCallback = validate;

        var channel = new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
            LoggerFactory = options.LoggerFactory,
        };
        if (options.Token is { } token)
        {
            var header = token.HeaderValue;
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add(ClusterToken.MetadataKey, header);
                return Task.CompletedTask;
            });
            channel.Credentials = ChannelCredentials.Create(secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials);
            // The token on h2c is the cluster's choice on a trusted network (docs/cli.md): the
            // client library refuses it unless told.
            channel.UnsafeUseInsecureChannelCallCredentials = !secure;
        }

        return GrpcChannel.ForAddress(address, channel);
    }

    /// <summary>The address a peer advertises (<c>host:port</c>, or a full <c>http(s)://</c> URI) as a URI.</summary>
    public static Uri PeerUri(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        return new Uri(address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address);
    }
}
