namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// Settings of one <see cref="PhiAccrualFailureDetector"/>. The defaults suit heartbeats every
/// second on a data-centre network: a silent worker is suspected after about 4.5 s.
/// </summary>
public sealed record PhiAccrualOptions
{
    /// <summary>φ at or above this declares the worker down: 8 means a 10⁻⁸ chance it is only late.</summary>
    public double Threshold { get; init; } = 8.0;

    /// <summary>How many recent inter-arrival times the estimate keeps.</summary>
    public int WindowSize { get; init; } = 200;

    /// <summary>
    /// Floor on the estimated standard deviation. Perfectly regular heartbeats would otherwise
    /// give σ ≈ 0, and φ would jump to infinity a millisecond after the mean.
    /// </summary>
    public TimeSpan MinStandardDeviation { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Silence tolerated on top of the mean before φ rises: covers a GC pause or a busy host
    /// without teaching the window that heartbeats are slow.
    /// </summary>
    public TimeSpan AcceptablePause { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Checks every value; throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (!(Threshold > 0) || double.IsInfinity(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "The φ threshold must be a positive, finite number.");
        }

        if (WindowSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "The window must hold at least one interval.");
        }

        if (MinStandardDeviation <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinStandardDeviation), MinStandardDeviation, "The minimum standard deviation must be positive.");
        }

        if (AcceptablePause < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AcceptablePause), AcceptablePause, "The acceptable pause cannot be negative.");
        }
    }
}
