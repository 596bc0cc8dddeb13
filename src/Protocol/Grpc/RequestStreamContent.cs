using System.Net;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// A request body that stays open while the caller writes frames into it: HEADERS go out at
/// once, each write is flushed, and completing the body is END_STREAM (GRPC.md §1.8 step 4).
/// </summary>
internal sealed class RequestStreamContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RequestStreamContent()
    {
        Headers.TryAddWithoutValidation(ReservedHeaders.ContentType, ReservedHeaders.GrpcContentType);
    }

    public async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        Stream stream = await _stream.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Complete() => _completed.TrySetResult();

    public void Abort()
    {
        _stream.TrySetCanceled();
        _completed.TrySetCanceled();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // Flush first so the request HEADERS leave before any message: a bidi server may
        // answer before the client writes (GRPC.md §1.5).
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrySetResult(stream);
        using CancellationTokenRegistration registration =
            cancellationToken.Register(static s => ((TaskCompletionSource)s!).TrySetCanceled(), _completed);
        await _completed.Task.ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
