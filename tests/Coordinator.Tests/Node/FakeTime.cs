namespace HyperSwarm.Coordinator.Tests.Node;

/// <summary>
/// A clock that moves only when the test says so, with timers: <see cref="Advance"/> fires every
/// timer that fell due (once, in due order), so a test drives the node's sweep, selection and
/// flush timers without sleeping.
/// </summary>
internal sealed class FakeTime : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private TimeSpan _elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Start + Elapsed;

    public override long GetTimestamp() => Elapsed.Ticks;

    private TimeSpan Elapsed
    {
        get
        {
            lock (_gate) return _elapsed;
        }
    }

    public void Advance(TimeSpan by)
    {
        List<FakeTimer> due;
        lock (_gate)
        {
            _elapsed += by;
            due = [.. _timers.Where(t => t.Due <= _elapsed).OrderBy(t => t.Due)];
            foreach (var timer in due)
                timer.Due = timer.Period > TimeSpan.Zero ? _elapsed + timer.Period : TimeSpan.MaxValue;
        }
        foreach (var timer in due) timer.Fire();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state, period);
        lock (_gate)
        {
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : _elapsed + dueTime;
            _timers.Add(timer);
        }
        return timer;
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    private sealed class FakeTimer(FakeTime owner, TimerCallback callback, object? state, TimeSpan period) : ITimer
    {
        public TimeSpan Due { get; set; }

        public TimeSpan Period { get; private set; } = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : owner._elapsed + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            }
            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
