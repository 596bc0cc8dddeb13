namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// The φ-accrual failure detector of Hayashibara, Défago, Yared and Katayama (SRDS 2004) for
/// one monitored worker. Instead of a yes/no timeout it reports a suspicion level
/// φ(now) = −log10(1 − F(now − last)), where F is the distribution of heartbeat inter-arrival
/// times estimated from a sliding window. φ = k means the chance that the heartbeat is merely
/// late is about 10⁻ᵏ.
/// </summary>
/// <remarks>
/// Instants are <see cref="TimeSpan"/>s on one monotonic axis (the registry measures them with
/// <see cref="TimeProvider.GetTimestamp"/>), so a wall-clock step cannot fake a silence.
/// Not thread-safe: the owner serialises calls.
/// </remarks>
public sealed class PhiAccrualFailureDetector
{
    private readonly PhiAccrualOptions _options;
    private readonly InterArrivalWindow _window;
    private TimeSpan? _lastArrival;

    /// <summary>
    /// Creates a detector that has heard nothing yet. <paramref name="expectedInterval"/> (the
    /// heartbeat interval the worker was told to use) seeds the window at the first heartbeat,
    /// so φ is meaningful before any real interval has been measured.
    /// </summary>
    public PhiAccrualFailureDetector(PhiAccrualOptions options, TimeSpan expectedInterval)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(expectedInterval, TimeSpan.Zero);
        _options = options;
        ExpectedInterval = expectedInterval;
        _window = new InterArrivalWindow(options.WindowSize);
    }

    /// <summary>The interval the window was seeded with.</summary>
    public TimeSpan ExpectedInterval { get; }

    /// <summary>When the last heartbeat arrived, or null before the first.</summary>
    public TimeSpan? LastArrival => _lastArrival;

    /// <summary>Mean of the intervals in the window, in milliseconds (0 before the first heartbeat).</summary>
    public double MeanIntervalMs => _window.Mean;

    /// <summary>Standard deviation used for φ: the window's, floored at the configured minimum.</summary>
    public double StandardDeviationMs =>
        Math.Max(Math.Sqrt(_window.Variance), _options.MinStandardDeviation.TotalMilliseconds);

    /// <summary>Records a heartbeat that arrived at <paramref name="arrival"/>.</summary>
    public void Heartbeat(TimeSpan arrival)
    {
        if (_lastArrival is not { } last)
        {
            _window.Add(ExpectedInterval.TotalMilliseconds);
        }
        else if (arrival > last)
        {
            _window.Add((arrival - last).TotalMilliseconds);
        }
        else
        {
            // Two heartbeats handled in the same tick (or out of order): no interval to learn from,
            // and a zero would drag the mean down and make the next ordinary gap look suspicious.
            return;
        }

        _lastArrival = arrival;
    }

    /// <summary>The suspicion level at <paramref name="now"/>: 0 before the first heartbeat, then growing with the silence.</summary>
    public double Phi(TimeSpan now)
    {
        if (_lastArrival is not { } last)
        {
            return 0;
        }

        double elapsedMs = Math.Max(0, (now - last).TotalMilliseconds);
        double meanMs = _window.Mean + _options.AcceptablePause.TotalMilliseconds;
        double z = (elapsedMs - meanMs) / StandardDeviationMs;
        return MinusLog10NormalTail(z);
    }

    /// <summary>Whether φ at <paramref name="now"/> is still below the threshold.</summary>
    public bool IsAvailable(TimeSpan now) => Phi(now) < _options.Threshold;

    /// <summary>
    /// −log10(1 − Φ(z)) for the standard normal Φ, using the logistic approximation
    /// 1 − Φ(z) ≈ 1 / (1 + e^(1.5976 z + 0.070566 z³)) (Bowling et al., 2009; error below 1.4e-4).
    /// Then −log10(1 − Φ) = log10(1 + eᵃ), evaluated as a softplus so a long silence gives a
    /// large finite φ instead of overflowing to infinity, and φ stays strictly increasing in z.
    /// </summary>
    private static double MinusLog10NormalTail(double z)
    {
        double a = (1.5976 * z) + (0.070566 * z * z * z);
        double softplus = Math.Max(a, 0) + Math.Log(1 + Math.Exp(-Math.Abs(a)));
        return softplus / Math.Log(10);
    }
}
