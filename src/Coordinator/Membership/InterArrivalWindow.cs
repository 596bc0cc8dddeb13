namespace HyperSwarm.Coordinator.Membership;

/// <summary>
/// The last <c>capacity</c> heartbeat inter-arrival times (milliseconds) with their running mean
/// and variance, O(1) per sample.
/// </summary>
internal sealed class InterArrivalWindow
{
    private readonly double[] _samples;
    private int _count;
    private int _next;
    private long _addedSinceResum;
    private double _sum;
    private double _sumOfSquares;

    public InterArrivalWindow(int capacity)
    {
        _samples = new double[capacity];
    }

    public int Count => _count;

    public double Mean => _count == 0 ? 0 : _sum / _count;

    /// <summary>Population variance of the samples held, never negative.</summary>
    public double Variance
    {
        get
        {
            if (_count == 0)
            {
                return 0;
            }

            double mean = Mean;
            // E[x²] − E[x]² can dip below zero by rounding when all samples are equal.
            return Math.Max(0, (_sumOfSquares / _count) - (mean * mean));
        }
    }

    public void Add(double intervalMs)
    {
        if (_count == _samples.Length)
        {
            double evicted = _samples[_next];
            _sum -= evicted;
            _sumOfSquares -= evicted * evicted;
        }
        else
        {
            _count++;
        }

        _samples[_next] = intervalMs;
        _next = (_next + 1) % _samples.Length;
        _sum += intervalMs;
        _sumOfSquares += intervalMs * intervalMs;

        // Adding and subtracting for days accumulates rounding error in the running sums;
        // recomputing them once per window length keeps the cost O(1) amortised.
        if (++_addedSinceResum >= _samples.Length)
        {
            Resum();
        }
    }

    private void Resum()
    {
        _sum = 0;
        _sumOfSquares = 0;
        for (int i = 0; i < _count; i++)
        {
            _sum += _samples[i];
            _sumOfSquares += _samples[i] * _samples[i];
        }

        _addedSinceResum = 0;
    }
}
