using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>A server-streaming call in flight.</summary>
public sealed class ServerStreamingCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCallView _view;

    internal ServerStreamingCall(IAsyncStreamReader<TResponse> responses, ClientCallView view)
    {
        ResponseStream = responses;
        _view = view;
    }

    /// <summary>The responses, in order; the reader throws <see cref="RpcException"/> on a non-OK status.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers' metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync => _view.Headers();

    /// <summary>The final status; only once the stream has ended.</summary>
    public GrpcStatus GetStatus() => _view.Status();

    /// <summary>The trailers' metadata; only once the stream has ended.</summary>
    public Metadata GetTrailers() => _view.Trailers();

    /// <summary>Cancels the call if it has not finished (RST_STREAM CANCEL).</summary>
    public void Dispose() => _view.Call.Dispose();
}
