namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>
/// A clock that moves only when a test says so: timers (Task.Delay, PeriodicTimer, Polly's
/// backoff) fire inside <see cref="Advance"/>, so reconnect tests never wait in real time.
/// </summary>
internal sealed class ManualTime : TimeProvider
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly object gate = new();
    private readonly List<ManualTimer> timers = [];
    private TaskCompletionSource scheduled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate) return Start.AddTicks(ticks);
    }

    public override long GetTimestamp()
    {
        lock (gate) return ticks;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires every timer that came due (periodic ones once).</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (gate)
        {
            ticks += by.Ticks;
            due = timers.Where(t => t.Due <= ticks).ToList();
            foreach (var t in due) t.Due = t.Period is { } p ? ticks + p : null;
        }

        foreach (var t in due) t.Fire();
    }

    /// <summary>
    /// Advances by <paramref name="step"/> whenever a one-shot timer (a delay, a backoff) waits,
    /// until <paramref name="condition"/> completes. Periodic timers (heartbeats) alone do not
    /// move the clock: they would keep it spinning while the condition waits on the network.
    /// </summary>
    public async Task AdvanceUntilAsync(Task condition, TimeSpan step)
    {
        for (var rounds = 0; !condition.IsCompleted; rounds++)
        {
            Assert.True(rounds < 1000, $"the condition never came true however far the clock moved; timers: {Describe()}");
            Task next;
            bool waiting;
            lock (gate)
            {
                next = scheduled.Task;
                waiting = timers.Any(t => t.Due is not null && t.Period is null);
            }

            if (waiting) Advance(step);
            else await Task.WhenAny(condition, next).WaitAsync(TimeSpan.FromSeconds(60));
        }

        await condition;
    }

    private string Describe()
    {
        lock (gate) return string.Join(", ", timers.Select(t => $"due {t.Due} period {t.Period}")) + $" at {ticks}";
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        TaskCompletionSource? wake = null;
        lock (gate)
        {
            timers.Remove(timer);
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : ticks + dueTime.Ticks;
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            timers.Add(timer);
            if (timer.Due is not null)
            {
                wake = scheduled;
                scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        wake?.TrySetResult();
    }

    private void Remove(ManualTimer timer)
    {
        lock (gate) timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTime time, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            time.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => time.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
