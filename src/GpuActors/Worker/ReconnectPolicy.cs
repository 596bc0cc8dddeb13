using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// How a worker retries its coordinator: exponential backoff with jitter from
/// <see cref="BaseDelay"/> up to <see cref="MaxDelay"/>, for ever, so a restarted coordinator
/// finds its workers again without a herd of simultaneous joins. Statuses that retrying cannot
/// fix (a wrong token, a refused or malformed join) are not retried.
/// </summary>
public sealed record ReconnectPolicy
{
    /// <summary>The first delay.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The jitter's random source (0–1); null for Polly's own. Tests seed it.</summary>
    public Func<double>? Randomizer { get; init; }

    /// <summary>Whether a call that failed with <paramref name="code"/> may succeed if tried again.</summary>
    public static bool IsRetryable(StatusCode code) =>
        code is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.Unimplemented);

    internal void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero) throw new ArgumentException($"the reconnect base delay must be positive, got {BaseDelay}.");
        if (MaxDelay < BaseDelay) throw new ArgumentException($"the reconnect max delay {MaxDelay} is below the base delay {BaseDelay}.");
    }

    internal ResiliencePipeline Build(TimeProvider time, ILogger logger, Action<RpcException, TimeSpan>? onRetry = null)
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => IsRetryable(e.StatusCode)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = BaseDelay,
            MaxDelay = MaxDelay,
            OnRetry = args =>
            {
                logger.LogWarning("Coordinator unreachable ({Status}); attempt {Attempt} in {DelaySeconds:F1} s.",
                    (args.Outcome.Exception as RpcException)?.Status.Describe(), args.AttemptNumber + 2, args.RetryDelay.TotalSeconds);
                if (args.Outcome.Exception is RpcException failure) onRetry?.Invoke(failure, args.RetryDelay);
                return default;
            },
        };
        if (Randomizer is { } random) retry.Randomizer = random;
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(retry).Build();
    }
}
