using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>A bidirectional call in flight: reading and writing are independent (GRPC.md §1.5).</summary>
public sealed class DuplexStreamingCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCallView _view;

    internal DuplexStreamingCall(IClientStreamWriter<TRequest> requests, IAsyncStreamReader<TResponse> responses, ClientCallView view)
    {
        RequestStream = requests;
        ResponseStream = responses;
        _view = view;
    }

    /// <summary>Where requests are written; complete it to half-close.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses, in order; the reader throws <see cref="RpcException"/> on a non-OK status.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers' metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync => _view.Headers();

    /// <summary>The final status; only once the response stream has ended.</summary>
    public GrpcStatus GetStatus() => _view.Status();

    /// <summary>The trailers' metadata; only once the response stream has ended.</summary>
    public Metadata GetTrailers() => _view.Trailers();

    /// <summary>Cancels the call if it has not finished (RST_STREAM CANCEL).</summary>
    public void Dispose() => _view.Call.Dispose();
}
