using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>The request stream a client-streaming or bidi handler reads.</summary>
internal sealed class RequestStreamReader<T>(ServerCall call, MessageParser<T> parser) : IAsyncStreamReader<T>
    where T : class, IMessage<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNextAsync has not returned true.");

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        CancellationToken token = call.Context.CancellationToken;
        using var linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(token, cancellationToken)
            : null;
        _current = await call.ReadAsync(parser, linked?.Token ?? token).ConfigureAwait(false);
        return _current is not null;
    }
}
