using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>A client-streaming call in flight.</summary>
public sealed class ClientStreamingCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCallView _view;

    internal ClientStreamingCall(IClientStreamWriter<TRequest> requests, Task<TResponse> response, ClientCallView view)
    {
        RequestStream = requests;
        ResponseAsync = response;
        _view = view;
    }

    /// <summary>Where requests are written; complete it to half-close.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The single response; faults with <see cref="RpcException"/> on a non-OK status.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers' metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync => _view.Headers();

    /// <summary>The final status; only once the call has finished.</summary>
    public GrpcStatus GetStatus() => _view.Status();

    /// <summary>The trailers' metadata; only once the call has finished.</summary>
    public Metadata GetTrailers() => _view.Trailers();

    /// <summary>Cancels the call if it has not finished (RST_STREAM CANCEL).</summary>
    public void Dispose() => _view.Call.Dispose();
}
