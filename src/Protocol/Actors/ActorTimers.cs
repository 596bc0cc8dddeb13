namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// Timers that send messages to their actor. A tick that finds the mailbox full is dropped,
/// never queued: an actor that is behind must not be buried under ticks. Timers are cancelled
/// when the actor restarts or stops.
/// </summary>
public sealed class ActorTimers<TMessage>
    where TMessage : notnull
{
    private readonly Dictionary<string, ITimer> _timers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<TMessage, bool> _tell;

    internal ActorTimers(TimeProvider time, Func<TMessage, bool> tell)
    {
        _time = time;
        _tell = tell;
    }

    /// <summary>Whether a timer with <paramref name="key"/> is active.</summary>
    public bool IsActive(string key) => _timers.ContainsKey(key);

    /// <summary>Sends <paramref name="message"/> once after <paramref name="delay"/>; replaces a timer with the same key.</summary>
    public void StartSingle(string key, TMessage message, TimeSpan delay) =>
        Start(key, message, delay, Timeout.InfiniteTimeSpan);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>; replaces a timer with the same key.</summary>
    public void StartPeriodic(string key, TMessage message, TimeSpan interval) =>
        Start(key, message, interval, interval);

    /// <summary>Cancels the timer with <paramref name="key"/>, if any.</summary>
    public void Cancel(string key)
    {
        if (_timers.Remove(key, out ITimer? timer))
        {
            timer.Dispose();
        }
    }

    internal void CancelAll()
    {
        foreach (ITimer timer in _timers.Values)
        {
            timer.Dispose();
        }

        _timers.Clear();
    }

    private void Start(string key, TMessage message, TimeSpan due, TimeSpan period)
    {
        Cancel(key);
        _timers[key] = _time.CreateTimer(static s => ((Tick)s!).Fire(), new Tick(_tell, message), due, period);
    }

    private sealed record Tick(Func<TMessage, bool> Tell, TMessage Message)
    {
        public void Fire() => Tell(Message);
    }
}
