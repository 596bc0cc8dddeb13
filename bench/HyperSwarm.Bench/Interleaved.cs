namespace HyperSwarm.Bench;

/// <summary>
/// Alternates rounds of our measurement and the peer's and summarises them: the figure is the
/// median of per-round ratios, which cancels machine-speed drift between rounds.
/// </summary>
public static class Interleaved
{
    /// <summary>Runs <paramref name="rounds"/> rounds of (ours, theirs); returns medians of ours, theirs and ours/theirs.</summary>
    public static async Task<(double Ours, double Theirs, double Ratio)> CompareAsync(int rounds, Func<Task<double>> ours, Func<Task<double>> theirs)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        var a = new List<double>();
        var b = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            // Swap the order every round so neither side always runs first after a pause.
            double x, y;
            if (r % 2 == 0)
            {
                x = await ours().ConfigureAwait(false);
                y = await theirs().ConfigureAwait(false);
            }
            else
            {
                y = await theirs().ConfigureAwait(false);
                x = await ours().ConfigureAwait(false);
            }

            a.Add(x);
            b.Add(y);
            ratios.Add(x / y);
        }

        return (Median(a), Median(b), Median(ratios));
    }

    /// <summary>The median of <paramref name="values"/>.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values");
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
