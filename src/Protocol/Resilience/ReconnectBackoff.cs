namespace HyperSwarm.Protocol.Resilience;

/// <summary>
/// Capped exponential backoff with jitter: attempt n (from 0) waits between
/// (1 − jitter)·c and c, where c = min(max, initial·multiplierⁿ).
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly ReconnectOptions _options;

    /// <summary>Creates the backoff for <paramref name="options"/>.</summary>
    public ReconnectBackoff(ReconnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The un-jittered delay of attempt <paramref name="attempt"/>: the upper end of its range.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        double ms = _options.InitialDelay.TotalMilliseconds * Math.Pow(_options.Multiplier, attempt);
        // Pow overflows to +∞ after ~1000 doublings when retrying forever; Min turns that into the cap.
        return TimeSpan.FromMilliseconds(Math.Min(ms, _options.MaxDelay.TotalMilliseconds));
    }

    /// <summary>The delay of attempt <paramref name="attempt"/> for a uniform draw <paramref name="unit"/> in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double unit)
    {
        if (!(unit >= 0 && unit < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "The draw must be in [0, 1).");
        }

        return Ceiling(attempt) * (1 - (_options.Jitter * unit));
    }
}
