using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// A client connection to one server: a single long-lived <see cref="HttpClient"/> over
/// HTTP/2 (GRPC.md §1.8 step 1) on which every call, of any shape, is one stream.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    internal const string UserAgent = "grpc-dotnet-hyperswarm/0.1";

    /// <summary>Opens a channel; connections are made lazily, on the first call.</summary>
    public GrpcChannel(GrpcChannelOptions options)
    {
        Options = options;
        var handler = new SocketsHttpHandler
        {
            // Many concurrent streams: open more connections instead of queueing at the
            // server's stream limit.
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.ClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (options.ServerCertificateValidation is { } validate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validate;
        }

        // Deadlines are per call; HttpClient's 100 s default would cut long streams.
        HttpClient = new HttpClient(handler) { BaseAddress = options.Address, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The options the channel was opened with.</summary>
    public GrpcChannelOptions Options { get; }

    internal HttpClient HttpClient { get; }

    /// <summary>Starts a unary call.</summary>
    public UnaryCall<TResponse> Unary<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ClientCall<TRequest, TResponse> call = Start(method, MethodType.Unary, options, request);
        return new UnaryCall<TResponse>(call.ReadSingleAsync(), View(call));
    }

    /// <summary>Makes a unary call and returns its response, or throws <see cref="RpcException"/>.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        using UnaryCall<TResponse> call = Unary(method, request, options);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Starts a server-streaming call.</summary>
    public ServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ClientCall<TRequest, TResponse> call = Start(method, MethodType.ServerStreaming, options, request);
        return new ServerStreamingCall<TResponse>(call, View(call));
    }

    /// <summary>Starts a client-streaming call.</summary>
    public ClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ClientCall<TRequest, TResponse> call = Start(method, MethodType.ClientStreaming, options, request: null);
        return new ClientStreamingCall<TRequest, TResponse>(call, call.ReadSingleAsync(), View(call));
    }

    /// <summary>Starts a bidirectional streaming call.</summary>
    public DuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(
        Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ClientCall<TRequest, TResponse> call = Start(method, MethodType.DuplexStreaming, options, request: null);
        return new DuplexStreamingCall<TRequest, TResponse>(call, call, View(call));
    }

    /// <summary>Closes the connections; calls still in flight fail.</summary>
    public void Dispose() => HttpClient.Dispose();

    private ClientCall<TRequest, TResponse> Start<TRequest, TResponse>(
        Method<TRequest, TResponse> method, MethodType shape, CallOptions options, TRequest? request)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        if (method.Type != shape)
        {
            throw new ArgumentException($"{method.FullName} is {method.Type}, not {shape}.", nameof(method));
        }

        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        try
        {
            call.Start(request);
        }
        catch (RpcException)
        {
            call.Dispose();
            throw;
        }

        return call;
    }

    private static ClientCallView View<TRequest, TResponse>(ClientCall<TRequest, TResponse> call)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        new(call, call.GetResponseHeadersAsync, () => call.Status, () => call.Trailers);
}
