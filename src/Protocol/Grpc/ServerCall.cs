using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// One call on the server: reads request frames, writes response frames and the status
/// (GRPC.md §1.7), and serializes writes so that a deadline can finish the call while a
/// handler is still running.
/// </summary>
internal sealed class ServerCall : IDisposable
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _cancellation;
    private readonly LengthPrefixedMessageReader _reader;
    private CancellationTokenSource? _deadline;
    private bool _headersWritten;
    private bool _finished;
    private volatile bool _clientGone;

    public ServerCall(HttpContext http, GrpcServerOptions options, CancellationToken serverStopping)
    {
        _http = http;
        _options = options;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, serverStopping);
        _reader = new LengthPrefixedMessageReader(http.Request.BodyReader, options.MaxReceiveMessageSize);
        Context = new ServerCallContext(
            http.Request.Path.Value ?? "",
            new Metadata(),
            deadline: null,
            peer: "",
            clientCertificate: null,
            _cancellation.Token);
    }

    public ServerCallContext Context { get; private set; }

    public bool DeadlineExpired => _deadline?.IsCancellationRequested == true;

    public bool ClientAborted => _clientGone || _http.RequestAborted.IsCancellationRequested;

    /// <summary>Parses metadata and the deadline and starts the deadline timer.</summary>
    public Task? Begin()
    {
        Metadata headers = ReadMetadata(_http.Request.Headers);
        DateTime? deadline = null;
        Task? expired = null;
        if (GrpcTimeout.TryParse(_http.Request.Headers[ReservedHeaders.Timeout], out TimeSpan timeout))
        {
            // A header we cannot parse means no deadline (GRPC.md §1.10 row 19), never a crash.
            deadline = DateTime.UtcNow + timeout;
            _deadline = new CancellationTokenSource(timeout);
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _deadline.Token.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), fired);
            _deadline.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), _cancellation);
            expired = fired.Task;
        }

        var connection = _http.Connection;
        Context = new ServerCallContext(
            Context.Method,
            headers,
            deadline,
            string.Create(CultureInfo.InvariantCulture, $"{connection.RemoteIpAddress}:{connection.RemotePort}"),
            connection.ClientCertificate,
            _cancellation.Token);
        return expired;
    }

    /// <summary>A long client or bidi stream must not hit Kestrel's body cap (GRPC.md §1.7 step 5).</summary>
    public void DisableRequestBodyLimits()
    {
        if (_http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (_http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }

    public ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T> =>
        _reader.ReadAsync(parser, cancellationToken);

    public async Task WriteAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_finished)
            {
                throw new RpcException(GrpcStatusCode.Cancelled, "The call has already finished.");
            }

            WriteHeaders();
            LengthPrefixedMessage.Write(_http.Response.BodyWriter, message, _options.MaxSendMessageSize);
            if (flush)
            {
                var result = await _http.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (result.IsCanceled || result.IsCompleted) _clientGone = true;
            }
        }
        finally
        {
            _writeLock.Release();
        }

        if (_clientGone)
        {
            // The stream was reset. Kestrel raises RequestAborted from the thread pool, so a
            // write can learn it first; the handler's token must fire either way (GRPC.md §1.10
            // row 8), and it would never fire once the call's linked source is disposed.
            _cancellation.Cancel();
            throw new RpcException(GrpcStatusCode.Cancelled, "The client is no longer reading.");
        }
    }

    /// <summary>Writes the status once: in the trailers, or trailers-only when nothing was sent.</summary>
    public async Task FinishAsync(GrpcStatus status)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            WriteStatus(status);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Ends a call whose deadline passed (GRPC.md §1.6): DEADLINE_EXCEEDED, complete the
    /// response, then RST_STREAM(CANCEL). A handler stuck in a write cannot block it: the
    /// stream is then reset without a status, and the client's own timer reports the deadline.
    /// </summary>
    public async Task ExpireAsync()
    {
        if (await _writeLock.WaitAsync(0).ConfigureAwait(false))
        {
            try
            {
                WriteStatus(new GrpcStatus(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded"));
                await _http.Response.CompleteAsync().ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        const int Cancel = 8;
        if (_http.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(Cancel);
        }
        else
        {
            _http.Abort();
        }
    }

    public void Dispose()
    {
        _deadline?.Dispose();
        _cancellation.Dispose();
        _writeLock.Dispose();
    }

    private void WriteHeaders()
    {
        if (_headersWritten)
        {
            return;
        }

        _headersWritten = true;
        HttpResponse response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ReservedHeaders.GrpcContentType;
        AppendMetadata(Context.ResponseHeaders, (k, v) => response.Headers.Append(k, v));
    }

    private void WriteStatus(GrpcStatus status)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        HttpResponse response = _http.Response;
        string code = ((int)status.Code).ToString(CultureInfo.InvariantCulture);
        string? message = status.Message.Length == 0 ? null : StatusMessageEncoding.Encode(status.Message);
        if (!_headersWritten)
        {
            // Trailers-only: nothing was sent, so the status rides in the headers (GRPC.md §1.3).
            WriteHeaders();
            response.Headers[ReservedHeaders.Status] = code;
            if (message is not null)
            {
                response.Headers[ReservedHeaders.Message] = message;
            }

            AppendMetadata(Context.ResponseTrailers, (k, v) => response.Headers.Append(k, v));
            return;
        }

        // PROTOCOL-HTTP2.md: the status goes in the trailers, even when OK.
        response.AppendTrailer(ReservedHeaders.Status, code);
        if (message is not null)
        {
            response.AppendTrailer(ReservedHeaders.Message, message);
        }

        AppendMetadata(Context.ResponseTrailers, (k, v) => response.AppendTrailer(k, v));
    }

    private static void AppendMetadata(Metadata metadata, Action<string, string> append)
    {
        foreach (MetadataEntry entry in metadata)
        {
            append(entry.Key, Metadata.WireValue(entry));
        }
    }

    private static Metadata ReadMetadata(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            // The cluster token stays with the dispatcher: handlers and their logs never see it.
            if (ReservedHeaders.IsReserved(name) || name.Equals(ClusterToken.MetadataKey, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (string? value in values)
            {
                metadata.AddFromWire(name.ToLowerInvariant(), value ?? "");
            }
        }

        return metadata;
    }
}
