namespace HyperSwarm.Cli.Report;

/// <summary>One named line of a plot: x and y of each point (points whose y is unknown left out).</summary>
internal sealed record PlotSeries(string Name, double[] Xs, double[] Ys)
{
    // Enough to draw any curve at the report's width; more only makes the file larger.
    private const int MaxPoints = 1000;

    /// <summary>The points of <paramref name="points"/> whose y is known, thinned to at most <see cref="MaxPoints"/> evenly spaced ones.</summary>
    public static PlotSeries Of(string name, IEnumerable<(double X, double? Y)> points)
    {
        var known = points.Where(p => p.Y is { } y && double.IsFinite(y)).ToList();
        var stride = Math.Max(1, (int)Math.Ceiling(known.Count / (double)MaxPoints));
        var kept = known.Where((_, i) => i % stride == 0 || i == known.Count - 1).ToList();
        return new PlotSeries(name, [.. kept.Select(p => p.X)], [.. kept.Select(p => p.Y!.Value)]);
    }

    public bool IsEmpty => Xs.Length == 0;
}
