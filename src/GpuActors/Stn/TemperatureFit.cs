namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// The temperature T that minimises the mean cross-entropy of logits z / T on a batch, found on
/// the host by golden-section search over ln T (the loss is convex in 1/T). Used by the
/// calibrated hyper objective: regularisation that only makes the network less confident lowers
/// the plain validation loss without changing a single prediction, but not the loss at the best
/// temperature, so the STN then tunes for what the ranking gains. Since T* minimises the loss,
/// the envelope theorem makes the hyper gradient at fixed T* the exact gradient of the
/// calibrated loss: T* needs no gradient of its own.
/// </summary>
public static class TemperatureFit
{
    private const double LowerLog = -3.0;   // T from e^-3 ≈ 0.05 …
    private const double UpperLog = 3.0;    // … to e^3 ≈ 20
    private const int Iterations = 40;      // the bracket shrinks to 6 · 0.618^40 ≈ 2e-8 in ln T

    /// <summary>T* for <paramref name="logits"/> (B, K) row-major and <paramref name="labels"/> (B).</summary>
    public static double Best(ReadOnlySpan<float> logits, ReadOnlySpan<long> labels)
    {
        var classes = logits.Length / labels.Length;
        if (classes * labels.Length != logits.Length || classes < 2) throw new ArgumentException($"{logits.Length} logits do not make {labels.Length} rows of at least two classes.", nameof(logits));
        var ratio = (Math.Sqrt(5) - 1) / 2;
        double a = LowerLog, b = UpperLog;
        var c = b - ratio * (b - a);
        var d = a + ratio * (b - a);
        double fc = Loss(logits, labels, classes, Math.Exp(c)), fd = Loss(logits, labels, classes, Math.Exp(d));
        for (var i = 0; i < Iterations; i++)
        {
            if (fc <= fd)
            {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = Loss(logits, labels, classes, Math.Exp(c));
            }
            else
            {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = Loss(logits, labels, classes, Math.Exp(d));
            }
        }

        return Math.Exp((a + b) / 2);
    }

    /// <summary>Mean cross-entropy of z / T, in double precision (log-sum-exp with the row maximum taken out).</summary>
    public static double Loss(ReadOnlySpan<float> logits, ReadOnlySpan<long> labels, int classes, double temperature)
    {
        var sum = 0.0;
        for (var r = 0; r < labels.Length; r++)
        {
            var row = logits.Slice(r * classes, classes);
            var max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v / temperature);
            var total = 0.0;
            foreach (var v in row) total += Math.Exp(v / temperature - max);
            sum += max + Math.Log(total) - row[(int)labels[r]] / temperature;
        }

        return sum / labels.Length;
    }
}
