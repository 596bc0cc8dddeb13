using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// The handlers of hyperswarm.testing.v1.TestService. Records what the server saw so tests
/// can assert on it: handler cancellations, and echoes <c>x-echo-*</c> metadata.
/// </summary>
/// <param name="bounded">
/// Clamp what a request may ask for (sizes, counts, sleeps), for fuzzing: random bytes
/// parsed as a request must not make the handler stream gigabytes.
/// </param>
public sealed class TestService(bool bounded = false)
{
    public static readonly Method<SimpleRequest, SimpleResponse> UnaryCall = From<SimpleRequest, SimpleResponse>("UnaryCall");
    public static readonly Method<StreamingOutputCallRequest, Payload> StreamingOutputCall = From<StreamingOutputCallRequest, Payload>("StreamingOutputCall");
    public static readonly Method<Payload, StreamingInputCallResponse> StreamingInputCall = From<Payload, StreamingInputCallResponse>("StreamingInputCall");
    public static readonly Method<Payload, Payload> FullDuplexCall = From<Payload, Payload>("FullDuplexCall");

    /// <summary>Completes when a handler observes its cancellation token firing.</summary>
    public TaskCompletionSource HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many handler invocations started.</summary>
    public int Calls => _calls;

    /// <summary>Completes when a streaming handler has started writing.</summary>
    public TaskCompletionSource StreamStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServiceRoutes Routes() => new ServiceRoutes()
        .MapUnary(UnaryCall, UnaryAsync)
        .MapServerStreaming(StreamingOutputCall, StreamingOutputAsync)
        .MapClientStreaming(StreamingInputCall, StreamingInputAsync)
        .MapDuplexStreaming(FullDuplexCall, FullDuplexAsync);

    private async Task<SimpleResponse> UnaryAsync(SimpleRequest request, ServerCallContext context)
    {
        Watch(context);
        Echo(context);
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
            throw new RpcException((GrpcStatusCode)request.FailCode, request.FailMessage);
        }

        return new SimpleResponse
        {
            Payload = request.ResponseSize > 0 ? ByteString.CopyFrom(new byte[Clamp(request.ResponseSize)]) : request.Payload,
        };
    }

    private async Task StreamingOutputAsync(StreamingOutputCallRequest request, IServerStreamWriter<Payload> responses, ServerCallContext context)
    {
        Watch(context);
        Echo(context);
        foreach (int size in bounded ? request.ResponseSizes.Take(8) : request.ResponseSizes)
        {
            await responses.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[Clamp(size)]) });
            StreamStarted.TrySetResult();
            if (request.IntervalMs > 0 && !bounded)
            {
                await Task.Delay(request.IntervalMs, context.CancellationToken);
            }
        }
    }

    private async Task<StreamingInputCallResponse> StreamingInputAsync(IAsyncStreamReader<Payload> requests, ServerCallContext context)
    {
        Watch(context);
        int total = 0;
        await foreach (Payload payload in requests.ReadAllAsync())
        {
            total += payload.Body.Length;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    private async Task FullDuplexAsync(IAsyncStreamReader<Payload> requests, IServerStreamWriter<Payload> responses, ServerCallContext context)
    {
        Watch(context);
        Echo(context);
        await foreach (Payload payload in requests.ReadAllAsync())
        {
            await responses.WriteAsync(payload);
        }
    }

    private int _calls;

    private void Watch(ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        context.CancellationToken.Register(() => HandlerCancelled.TrySetResult());
    }

    private int Clamp(int size) => bounded ? Math.Clamp(size, 0, 1024) : size;

    private static void Echo(ServerCallContext context)
    {
        foreach (MetadataEntry entry in context.RequestHeaders.Where(e => e.Key.StartsWith("x-echo-", StringComparison.Ordinal)))
        {
            if (entry.IsBinary)
            {
                context.ResponseHeaders.Add(entry.Key, entry.ValueBytes!);
                context.ResponseTrailers.Add(entry.Key, entry.ValueBytes!);
            }
            else
            {
                context.ResponseHeaders.Add(entry.Key, entry.Value!);
                context.ResponseTrailers.Add(entry.Key, entry.Value!);
            }
        }
    }

    private static Method<TRequest, TResponse> From<TRequest, TResponse>(string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Method<TRequest, TResponse>.From(TestServiceReflection.Descriptor.Services[0], name);
}
