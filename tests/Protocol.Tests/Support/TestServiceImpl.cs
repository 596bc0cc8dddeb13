using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// hyperswarm.testing.v1.TestService served by <see cref="HyperSwarm.Protocol.Hosting.GrpcHost"/>. (Not named
/// TestService: that is the generated static class holding the base and the client.) Records
/// what the server saw so tests can assert on it: calls, handler cancellations, the
/// connections calls came in on, and handlers still running. Echoes <c>x-echo-*</c> metadata
/// as response headers and trailers.
/// </summary>
/// <param name="bounded">
/// Clamp what a request may ask for (sizes, counts, sleeps), for fuzzing: random bytes
/// parsed as a request must not make the handler stream gigabytes.
/// </param>
public sealed class TestServiceImpl(bool bounded = false) : TestService.TestServiceBase
{
    /// <summary>What a stream that outlives a host stop ends with (the Stopping token pattern).</summary>
    public const string ShuttingDown = "the server is shutting down";

    private readonly Lock _gate = new();
    private TaskCompletionSource _idle = Completed();
    private TaskCompletionSource? _holdRelease;
    private int _holdCount;
    private int _active;
    private int _calls;
    private int _held;

    /// <summary>
    /// The host's <see cref="HyperSwarm.Protocol.Hosting.GrpcHost.Stopping"/>: server streams watch it and end with
    /// UNAVAILABLE, as HyperSwarm's long-lived streams do. The harness sets it.
    /// </summary>
    public CancellationToken Stopping { get; set; }

    /// <summary>Completes when a handler observes its cancellation token firing while it runs.</summary>
    public TaskCompletionSource HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The methods whose handlers saw their token fire, in order.</summary>
    public ConcurrentQueue<string> CancelledMethods { get; } = new();

    /// <summary>Completes when a streaming handler has written its first response.</summary>
    public TaskCompletionSource StreamStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The Kestrel connection ids unary calls arrived on.</summary>
    public ConcurrentDictionary<string, byte> Connections { get; } = new();

    /// <summary>The <c>authorization</c> metadata the last unary call carried (null: none).</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>How many handler invocations started.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Released once per handler invocation as it starts: a test can wait for "a handler is running".</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    /// <summary>
    /// Makes unary handlers wait until <paramref name="count"/> of them are running at once,
    /// then lets them all go: proof that that many calls were in flight together.
    /// </summary>
    public void HoldUnaryCallsUntil(int count)
    {
        lock (_gate)
        {
            _holdCount = count;
            _held = 0;
            _holdRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Completes once no handler is running (at once if none is).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    public override async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        using var watch = Enter(context, nameof(UnaryCall));
        Connections.TryAdd(context.GetHttpContext().Connection.Id, 0);
        LastAuthorization = context.RequestHeaders.GetValue("authorization");
        await EchoAsync(context);
        await HoldAsync(context.CancellationToken);
        if (request.SleepMs > 0 && !bounded)
        {
            await Task.Delay(request.SleepMs, context.CancellationToken);
        }

        if (request.ThrowException)
        {
            throw new InvalidOperationException("secret internal detail");
        }

        if (request.FailCode != 0)
        {
            throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
        }

        return new SimpleResponse
        {
            Payload = request.ResponseSize > 0 ? ByteString.CopyFrom(new byte[Clamp(request.ResponseSize)]) : request.Payload,
        };
    }

    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        using var watch = Enter(context, nameof(StreamingOutputCall));
        await EchoAsync(context);

        // The pattern HyperSwarm's long-lived streams follow: watch the host's Stopping token
        // and end with UNAVAILABLE, so the client reconnects elsewhere instead of waiting for
        // Kestrel's shutdown timeout to cut the connection.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, Stopping);
        try
        {
            foreach (int size in bounded ? request.ResponseSizes.Take(8) : request.ResponseSizes)
            {
                await responseStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[Clamp(size)]) }, linked.Token);
                StreamStarted.TrySetResult();
                if (request.IntervalMs > 0 && !bounded)
                {
                    await Task.Delay(request.IntervalMs, linked.Token);
                }
            }
        }
        catch (OperationCanceledException) when (Stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, ShuttingDown));
        }
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<Payload> requestStream, ServerCallContext context)
    {
        using var watch = Enter(context, nameof(StreamingInputCall));
        int total = 0;
        await foreach (Payload payload in requestStream.ReadAllAsync(context.CancellationToken))
        {
            total += payload.Body.Length;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public override async Task FullDuplexCall(IAsyncStreamReader<Payload> requestStream, IServerStreamWriter<Payload> responseStream, ServerCallContext context)
    {
        using var watch = Enter(context, nameof(FullDuplexCall));
        await EchoAsync(context);
        await foreach (Payload payload in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(payload, context.CancellationToken);
            StreamStarted.TrySetResult();
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    // Echoes x-echo-* request metadata. Headers are only written when there is something to
    // echo: writing them early would turn an error answer from trailers-only into headers + trailers.
    private static async Task EchoAsync(ServerCallContext context)
    {
        var echoed = new Metadata();
        foreach (Metadata.Entry entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-echo-", StringComparison.Ordinal)))
        {
            if (entry.IsBinary)
            {
                echoed.Add(entry.Key, entry.ValueBytes);
                context.ResponseTrailers.Add(entry.Key, entry.ValueBytes);
            }
            else
            {
                echoed.Add(entry.Key, entry.Value);
                context.ResponseTrailers.Add(entry.Key, entry.Value);
            }
        }

        if (echoed.Count > 0)
        {
            await context.WriteResponseHeadersAsync(echoed);
        }
    }

    private async Task HoldAsync(CancellationToken cancellationToken)
    {
        Task release;
        lock (_gate)
        {
            if (_holdRelease is null)
            {
                return;
            }

            release = _holdRelease.Task;
            if (++_held >= _holdCount)
            {
                _holdRelease.TrySetResult();
            }
        }

        await release.WaitAsync(cancellationToken);
    }

    private int Clamp(int size) => bounded ? Math.Clamp(size, 0, 1024) : size;

    private Running Enter(ServerCallContext context, string method)
    {
        Interlocked.Increment(ref _calls);
        Entered.Release();
        lock (_gate)
        {
            if (_active++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        // Scoped to the handler: a token that fires after the handler returned is not a
        // cancellation the handler saw.
        CancellationTokenRegistration registration = context.CancellationToken.Register(() =>
        {
            CancelledMethods.Enqueue(method);
            HandlerCancelled.TrySetResult();
        });
        return new Running(this, registration);
    }

    private void Exit()
    {
        lock (_gate)
        {
            if (--_active == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    private sealed class Running(TestServiceImpl service, CancellationTokenRegistration registration) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            service.Exit();
        }
    }
}
