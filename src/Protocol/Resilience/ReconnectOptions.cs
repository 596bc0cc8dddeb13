namespace HyperSwarm.Protocol.Resilience;

/// <summary>Backoff settings of the <see cref="ReconnectPolicy"/>.</summary>
public sealed record ReconnectOptions
{
    /// <summary>Ceiling of the first retry delay.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>No delay is ever longer than this, however many attempts failed.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Growth of the ceiling per failed attempt.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>
    /// Fraction of each ceiling taken off at random: delays fall in [(1 − j)·ceiling, ceiling].
    /// Spreads the reconnects of many workers after a coordinator restart, while keeping a
    /// floor so a delay still grows with the attempt number.
    /// </summary>
    public double Jitter { get; init; } = 0.5;

    /// <summary>Checks every value; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (InitialDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "The initial delay must be positive.");
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "The maximum delay cannot be below the initial delay.");
        }

        if (!(Multiplier >= 1) || double.IsInfinity(Multiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(Multiplier), Multiplier, "The multiplier must be a finite number of at least 1.");
        }

        if (!(Jitter >= 0 && Jitter <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "The jitter must be between 0 and 1.");
        }
    }
}
