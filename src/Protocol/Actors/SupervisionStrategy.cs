namespace HyperSwarm.Protocol.Actors;

/// <summary>
/// How failures are handled: <see cref="Decider"/> picks a directive per exception; restarts
/// back off exponentially from <see cref="MinBackoff"/> to <see cref="MaxBackoff"/>; more than
/// <see cref="MaxFailures"/> failures within <see cref="Window"/> escalate to the parent.
/// </summary>
public sealed record SupervisionStrategy
{
    /// <summary>Restart on every failure; escalate after 3 failures within a minute.</summary>
    public static SupervisionStrategy Default { get; } = new();

    /// <summary>The directive for a failure; restart by default.</summary>
    public Func<Exception, SupervisionDirective> Decider { get; init; } = static _ => SupervisionDirective.Restart;

    /// <summary>Failures allowed within <see cref="Window"/>; one more escalates.</summary>
    public int MaxFailures { get; init; } = 3;

    /// <summary>The sliding window that failures are counted in.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Backoff before the first restart; doubled for each further failure in the window.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest backoff.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The backoff before restart number <paramref name="failuresInWindow"/> (1-based).</summary>
    public TimeSpan Backoff(int failuresInWindow)
    {
        double factor = Math.Pow(2, Math.Clamp(failuresInWindow - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks * factor));
    }
}
