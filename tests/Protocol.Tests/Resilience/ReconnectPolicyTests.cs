using System.Net.Sockets;
using HyperSwarm.Protocol.Resilience;
using HyperSwarm.Protocol.Grpc;
using Polly;

namespace HyperSwarm.Protocol.Tests.Resilience;

public sealed class ReconnectPolicyTests
{
    private static readonly ReconnectOptions NoJitter = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(2),
        Jitter = 0,
    };

    private readonly InstantDelayTimeProvider _time = new();

    [Fact]
    public async Task Delays_double_from_the_initial_delay_and_stop_at_the_cap()
    {
        ResiliencePipeline pipeline = ReconnectPolicy.Create(NoJitter, _time);
        int attempts = 0;

        string result = await pipeline.ExecuteAsync(_ =>
            ++attempts <= 10 ? throw Unavailable() : ValueTask.FromResult("connected"), CancellationToken.None);

        Assert.Equal("connected", result);
        Assert.Equal(11, attempts);
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000], _time.Delays.Select(d => d.TotalMilliseconds));
        // The waiting happened on the fake clock, not the real one.
        Assert.Equal(TimeSpan.FromMilliseconds(13_100), _time.Elapsed);
    }

    [Fact]
    public async Task Jittered_delays_stay_in_their_band_grow_and_never_pass_the_cap()
    {
        ReconnectOptions options = NoJitter with { Jitter = 0.5 };
        var seen = new List<ReconnectAttempt>();
        ResiliencePipeline pipeline = ReconnectPolicy.Create(options, _time, new Random(3), seen.Add);
        var backoff = new ReconnectBackoff(options);
        int attempts = 0;

        await pipeline.ExecuteAsync(_ =>
            ++attempts <= 40 ? throw Unavailable() : ValueTask.CompletedTask, CancellationToken.None);

        List<TimeSpan> delays = seen.Select(a => a.Delay).ToList();
        Assert.Equal(40, delays.Count);
        for (int n = 0; n < delays.Count; n++)
        {
            TimeSpan ceiling = backoff.Ceiling(n);
            Assert.InRange(delays[n], ceiling / 2, ceiling);
            Assert.True(delays[n] <= options.MaxDelay);
        }

        Assert.True(delays.Distinct().Count() > 30, "the jitter should spread the delays");
        Assert.True(delays.Skip(20).Min() > delays.Take(3).Max(), "late delays should be longer than early ones");
        Assert.Equal(Enumerable.Range(0, 40), seen.Select(a => a.Attempt));
        // The clock waited for each of them (timers get whole milliseconds).
        Assert.Equal(delays.Select(d => Math.Floor(d.TotalMilliseconds)), _time.Delays.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public async Task It_retries_until_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        ResiliencePipeline pipeline = ReconnectPolicy.Create(NoJitter, _time);
        int attempts = 0;

        Task run = pipeline.ExecuteAsync(_ =>
        {
            if (++attempts == 500)
            {
                cancel.Cancel();
            }

            throw Unavailable();
        }, cancel.Token).AsTask();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(500, attempts);
    }

    [Theory]
    [InlineData(GrpcStatusCode.PermissionDenied)]
    [InlineData(GrpcStatusCode.Unauthenticated)]
    [InlineData(GrpcStatusCode.Cancelled)]
    [InlineData(GrpcStatusCode.FailedPrecondition)]
    [InlineData(GrpcStatusCode.Internal)]
    public async Task A_failure_no_wait_can_fix_is_thrown_at_once(GrpcStatusCode code)
    {
        ResiliencePipeline pipeline = ReconnectPolicy.Create(NoJitter, _time);
        int attempts = 0;

        RpcException thrown = await Assert.ThrowsAsync<RpcException>(() => pipeline.ExecuteAsync(_ =>
        {
            attempts++;
            throw new RpcException(code, "no");
        }, CancellationToken.None).AsTask());

        Assert.Equal(code, thrown.StatusCode);
        Assert.Equal(1, attempts);
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task Connection_errors_are_retried_like_unavailable()
    {
        ResiliencePipeline pipeline = ReconnectPolicy.Create(NoJitter, _time);
        Exception[] failures =
        [
            new HttpRequestException("connection refused"),
            new SocketException((int)SocketError.ConnectionRefused),
            new IOException("connection reset"),
            new RpcException(GrpcStatusCode.DeadlineExceeded, "slow"),
        ];
        int attempts = 0;

        await pipeline.ExecuteAsync(_ =>
            attempts < failures.Length ? throw failures[attempts++] : ValueTask.CompletedTask, CancellationToken.None);

        Assert.Equal(failures.Length, _time.Delays.Count);
    }

    [Theory]
    [InlineData(GrpcStatusCode.Unavailable, true)]
    [InlineData(GrpcStatusCode.DeadlineExceeded, true)]
    [InlineData(GrpcStatusCode.ResourceExhausted, false)]
    [InlineData(GrpcStatusCode.Unknown, false)]
    [InlineData(GrpcStatusCode.Aborted, false)]
    public void Only_unavailable_and_deadline_exceeded_are_transient(GrpcStatusCode code, bool transient)
    {
        Assert.Equal(transient, ReconnectPolicy.IsTransient(new RpcException(code, "")));
    }

    [Fact]
    public void Other_exceptions_are_not_transient()
    {
        Assert.False(ReconnectPolicy.IsTransient(new InvalidOperationException()));
        Assert.False(ReconnectPolicy.IsTransient(new OperationCanceledException()));
    }

    private static RpcException Unavailable() => new(GrpcStatusCode.Unavailable, "coordinator unreachable");
}
