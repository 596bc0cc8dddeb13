using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>The response stream a server-streaming or bidi handler writes; flushes each message.</summary>
internal sealed class ResponseStreamWriter<T>(ServerCall call) : IServerStreamWriter<T>
    where T : class, IMessage<T>
{
    public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        CancellationToken token = call.Context.CancellationToken;
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken)
            : null;
        await call.WriteAsync(message, flush: true, linked?.Token ?? token).ConfigureAwait(false);
    }
}
