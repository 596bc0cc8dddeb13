using System.Net.Sockets;
using HyperSwarm.Protocol.Grpc;
using Polly;
using Polly.Retry;

namespace HyperSwarm.Protocol.Resilience;

/// <summary>
/// How a worker gets back to its coordinator: retry forever, until cancelled, with capped
/// exponential backoff and jitter, on failures that a restart or a network blip explains.
/// Anything else (a refused token, a bad request) is thrown at once.
/// </summary>
public static class ReconnectPolicy
{
    /// <summary>
    /// Builds the pipeline. <paramref name="timeProvider"/> drives the delays (tests pass a fake
    /// one, so nothing waits for real); <paramref name="random"/> draws the jitter (seed it for
    /// reproducible delays); <paramref name="onRetry"/> sees each failure and the delay before
    /// the next attempt, e.g. to log it.
    /// </summary>
    public static ResiliencePipeline Create(
        ReconnectOptions options,
        TimeProvider? timeProvider = null,
        Random? random = null,
        Action<ReconnectAttempt>? onRetry = null)
    {
        var backoff = new ReconnectBackoff(options);
        Random draws = random ?? Random.Shared;
        var retry = new RetryStrategyOptions
        {
            // Polly treats int.MaxValue as "forever"; cancellation is the only way out.
            MaxRetryAttempts = int.MaxValue,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(backoff.Delay(args.AttemptNumber, Draw(draws))),
            OnRetry = args =>
            {
                onRetry?.Invoke(new ReconnectAttempt(args.AttemptNumber, args.RetryDelay, args.Outcome.Exception!));
                return ValueTask.CompletedTask;
            },
        };

        return new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(retry)
            .Build();
    }

    /// <summary>
    /// True for failures worth waiting out: UNAVAILABLE (no connection, coordinator restarting,
    /// GOAWAY) and DEADLINE_EXCEEDED from our gRPC client, and the raw connection errors
    /// (<see cref="HttpRequestException"/>, <see cref="IOException"/>, <see cref="SocketException"/>)
    /// should one reach the caller before the client maps it to UNAVAILABLE.
    /// </summary>
    public static bool IsTransient(Exception failure) => failure switch
    {
        RpcException rpc => rpc.StatusCode is GrpcStatusCode.Unavailable or GrpcStatusCode.DeadlineExceeded,
        HttpRequestException or IOException or SocketException => true,
        _ => false,
    };

    private static double Draw(Random random)
    {
        // Random is not thread-safe and one pipeline may serve concurrent calls.
        lock (random)
        {
            return random.NextDouble();
        }
    }
}
