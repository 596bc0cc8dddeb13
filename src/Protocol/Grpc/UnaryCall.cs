using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>A unary call in flight: its response, headers, status and trailers.</summary>
public sealed class UnaryCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCallView _view;

    internal UnaryCall(Task<TResponse> response, ClientCallView view)
    {
        ResponseAsync = response;
        _view = view;
    }

    /// <summary>The response; faults with <see cref="RpcException"/> when the status is not OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers' metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync => _view.Headers();

    /// <summary>The final status; only once the call has finished.</summary>
    public GrpcStatus GetStatus() => _view.Status();

    /// <summary>The trailers' metadata; only once the call has finished.</summary>
    public Metadata GetTrailers() => _view.Trailers();

    /// <summary>Cancels the call if it has not finished.</summary>
    public void Dispose() => _view.Call.Dispose();
}
