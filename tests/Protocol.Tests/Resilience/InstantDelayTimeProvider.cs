namespace HyperSwarm.Protocol.Tests.Resilience;

/// <summary>
/// A fake clock for retry pipelines: every timer records its due time, moves the clock forward
/// by it and fires straight away (on the thread pool), so a backoff of minutes runs in
/// microseconds and the test reads exactly which delays were asked for.
/// </summary>
internal sealed class InstantDelayTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly object _gate = new();
    private readonly List<TimeSpan> _delays = [];
    private TimeSpan _elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_gate)
            {
                return [.. _delays];
            }
        }
    }

    public TimeSpan Elapsed
    {
        get
        {
            lock (_gate)
            {
                return _elapsed;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => Start + Elapsed;

    public override long GetTimestamp() => Elapsed.Ticks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new InertTimer();
        }

        lock (_gate)
        {
            _delays.Add(dueTime);
            _elapsed += dueTime;
        }

        // Fire after CreateTimer has returned, as a real timer would: the caller may still be
        // storing the timer it is about to be called back for.
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new InertTimer();
    }

    private sealed class InertTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
