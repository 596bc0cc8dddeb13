using System.IO.Pipelines;
using System.Net;
using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// One client call on one HTTP/2 stream, whatever its shape (GRPC.md §1.5, §1.8): sends the
/// request, reads framed responses, takes the status from the trailers or from trailers-only
/// headers, and turns deadlines, cancellation and transport failures into statuses.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse>
    : IAsyncStreamReader<TResponse>, IClientStreamWriter<TRequest>, IDisposable
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cancellation;
    private CancellationTokenSource? _deadlineTimer;
    private readonly TaskCompletionSource<Metadata> _responseHeaders = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _openGate = new();
    private Task<bool>? _open;
    private PipeReader? _body;
    private RequestStreamContent? _requestStream;
    private Task<HttpResponseMessage>? _send;
    private HttpResponseMessage? _response;
    private LengthPrefixedMessageReader? _reader;
    private GrpcStatus? _status;
    private Metadata _trailers = new();
    private TResponse? _current;

    public ClientCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNextAsync has not returned true.");

    public GrpcStatus Status => _status ?? throw new InvalidOperationException("The call has not finished.");

    public Metadata Trailers => _status is null ? throw new InvalidOperationException("The call has not finished.") : _trailers;

    private bool DeadlinePassed =>
        _deadlineTimer?.IsCancellationRequested == true
        || (_options.Deadline is { } deadline && DateTime.UtcNow >= deadline);

    /// <summary>Sends the request: one framed message, or an open stream when <paramref name="request"/> is null.</summary>
    public void Start(TRequest? request)
    {
        // Serialize first: an oversize request fails here, before anything is allocated for HTTP.
        byte[]? frame = request is null ? null : LengthPrefixedMessage.ToArray(request, _channel.Options.MaxSendMessageSize);
        var message = new HttpRequestMessage(HttpMethod.Post, _method.FullName)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (_options.Deadline is { } deadline)
        {
            TimeSpan remaining = deadline - DateTime.UtcNow;
            // Sent straight after the pseudo-headers; plus our own timer (GRPC.md §1.6).
            message.Headers.TryAddWithoutValidation(ReservedHeaders.Timeout, GrpcTimeout.Format(remaining));
            _deadlineTimer = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            _deadlineTimer.Token.UnsafeRegister(static s => ((ClientCall<TRequest, TResponse>)s!).CancelQuietly(), this);
        }

        // C-core servers (python grpcio) refuse a call without it (GRPC.md §1.1).
        message.Headers.TryAddWithoutValidation(ReservedHeaders.Te, "trailers");
        message.Headers.TryAddWithoutValidation("user-agent", GrpcChannel.UserAgent);
        if (_channel.Options.Token is { } token)
        {
            message.Headers.TryAddWithoutValidation(ClusterToken.MetadataKey, token.HeaderValue);
        }

        foreach (MetadataEntry entry in _options.Headers ?? [])
        {
            message.Headers.TryAddWithoutValidation(entry.Key, Metadata.WireValue(entry));
        }

        if (frame is null)
        {
            message.Content = _requestStream = new RequestStreamContent();
        }
        else
        {
            message.Content = new ByteArrayContent(frame);
            message.Content.Headers.TryAddWithoutValidation(ReservedHeaders.ContentType, ReservedHeaders.GrpcContentType);
        }

        _send = _channel.HttpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, _cancellation.Token);
    }

    public async Task<Metadata> GetResponseHeadersAsync()
    {
        await RunAsync(static async call => await call.OpenAsync().ConfigureAwait(false), default).ConfigureAwait(false);
        return await _responseHeaders.Task.ConfigureAwait(false);
    }

    public ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default) =>
        RunAsync(static async call => await call.ReadNextAsync().ConfigureAwait(false), cancellationToken);

    /// <summary>The single response of a unary or client-streaming call.</summary>
    public async Task<TResponse> ReadSingleAsync()
    {
        if (!await MoveNextAsync().ConfigureAwait(false))
        {
            throw Finish(new GrpcStatus(GrpcStatusCode.Internal, "The call ended without a response message."));
        }

        TResponse response = _current!;
        if (await MoveNextAsync().ConfigureAwait(false))
        {
            throw Finish(new GrpcStatus(GrpcStatusCode.Internal, "More than one response message for a unary response."));
        }

        return response;
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        RequestStreamContent stream = _requestStream ?? throw new InvalidOperationException("This call has no request stream.");
        if (_status is { } status)
        {
            throw new RpcException(status.Code == GrpcStatusCode.Ok
                ? new GrpcStatus(GrpcStatusCode.Internal, "Write after the call finished.")
                : status);
        }

        byte[] frame = LengthPrefixedMessage.ToArray(message, _channel.Options.MaxSendMessageSize);
        await RunAsync(
            async call =>
            {
                await stream.WriteAsync(frame, call._cancellation.Token).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task CompleteAsync()
    {
        _requestStream?.Complete();
        return Task.CompletedTask;
    }

    /// <summary>Disposing an unfinished call cancels it: RST_STREAM(CANCEL) (GRPC.md §1.8 step 8).</summary>
    public void Dispose()
    {
        _status ??= new GrpcStatus(GrpcStatusCode.Cancelled, "Call disposed.");
        _responseHeaders.TrySetResult(new Metadata());
        _cancellation.Cancel();
        _requestStream?.Abort();
        _response?.Dispose();
        _deadlineTimer?.Dispose();
        _cancellation.Dispose();
    }

    /// <summary>Runs one step of the call and maps whatever it throws to the call's status.</summary>
    private async ValueTask<bool> RunAsync(Func<ClientCall<TRequest, TResponse>, Task<bool>> step, CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(
            static s => ((ClientCall<TRequest, TResponse>)s!).CancelQuietly(), this);
        try
        {
            return await step(this).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Finish(e.Status);
        }
        catch (OperationCanceledException)
        {
            throw Finish(new GrpcStatus(GrpcStatusCode.Cancelled, "Call cancelled."));
        }
        catch (HttpRequestException e)
        {
            throw Finish(ClientStatusMapping.FromTransport(e));
        }
        catch (IOException e)
        {
            throw Finish(ClientStatusMapping.FromTransport(e));
        }
        catch (ObjectDisposedException)
        {
            throw Finish(new GrpcStatus(GrpcStatusCode.Cancelled, "Call disposed."));
        }
    }

    /// <summary>Waits for the response headers once, however many readers ask (headers and messages may race).</summary>
    private Task<bool> OpenAsync()
    {
        lock (_openGate)
        {
            return _open ??= OpenOnceAsync();
        }
    }

    private async Task<bool> OpenOnceAsync()
    {
        HttpResponseMessage response = _response = await _send!.ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Finish(ClientStatusMapping.FromHttpStatus(response.StatusCode));
        }

        if (response.Version != HttpVersion.Version20)
        {
            throw Finish(new GrpcStatus(GrpcStatusCode.Internal, $"Bad gRPC response: HTTP/{response.Version}, not HTTP/2."));
        }

        if (!ReservedHeaders.IsGrpcContentType(response.Content.Headers.ContentType?.MediaType))
        {
            throw Finish(new GrpcStatus(GrpcStatusCode.Internal, "Bad gRPC response: content-type is not application/grpc."));
        }

        Metadata headers = ResponseMetadata.From(response.Headers);
        _responseHeaders.TrySetResult(headers);
        if (ClientStatusMapping.FromHeaders(response.Headers) is { } status)
        {
            // Trailers-only (GRPC.md §1.3): python grpcio answers errors this way.
            _trailers = headers;
            Finish(status);
            return false;
        }

        Stream body = await response.Content.ReadAsStreamAsync(_cancellation.Token).ConfigureAwait(false);
        _body = PipeReader.Create(body);
        _reader = new LengthPrefixedMessageReader(_body, _channel.Options.MaxReceiveMessageSize);
        return true;
    }

    private async Task<bool> ReadNextAsync()
    {
        if (_status is null && await OpenAsync().ConfigureAwait(false))
        {
            _current = await _reader!.ReadAsync(_method.ResponseParser, _cancellation.Token).ConfigureAwait(false);
            if (_current is not null)
            {
                return true;
            }

            await _body!.CompleteAsync().ConfigureAwait(false);

            // TrailingHeaders are filled once the body has been read to its end (§1.8 step 7).
            _trailers = ResponseMetadata.From(_response!.TrailingHeaders);
            Finish(ClientStatusMapping.FromHeaders(_response.TrailingHeaders)
                ?? new GrpcStatus(GrpcStatusCode.Internal, "The response ended without a grpc-status."));
        }

        GrpcStatus final = Status;
        return final.Code == GrpcStatusCode.Ok ? false : throw new RpcException(final, _trailers);
    }

    /// <summary>Records the final status once and releases the stream; returns it as an exception.</summary>
    private RpcException Finish(GrpcStatus status)
    {
        if (_status is null)
        {
            // A cancellation that lands after the deadline is the deadline (GRPC.md §1.6).
            bool deadline = status.Code == GrpcStatusCode.Cancelled && DeadlinePassed;
            _status = deadline ? new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded") : status;
            _responseHeaders.TrySetResult(new Metadata());
            if (_status.Value.Code != GrpcStatusCode.Ok)
            {
                CancelQuietly();
            }

            _requestStream?.Abort();
            _response?.Dispose();
        }

        return new RpcException(_status.Value, _trailers);
    }

    private void CancelQuietly()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call was disposed concurrently: it is already cancelled.
        }
    }
}
