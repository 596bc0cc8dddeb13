using HyperSwarm.Coordinator.Population;
using ScottPlot;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// The report's plots, drawn with ScottPlot as SVG documents of one size: line plots (one line
/// per member), a bar chart, and the population's lineage.
/// </summary>
internal static class ReportPlots
{
    public const int Width = 720;
    public const int Height = 360;

    /// <summary>One line per series; null when no series has a point.</summary>
    public static string? Lines(string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series)
    {
        using var plot = LinePlot(title, xLabel, yLabel, series);
        return plot?.GetSvgXml(Width, Height);
    }

    /// <summary>The same lines, with a marker on every point, saved as a PNG at <paramref name="path"/> (benchmarks' figures); false when no series has a point.</summary>
    public static bool SaveLinesPng(string path, string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series)
    {
        using var plot = LinePlot(title, xLabel, yLabel, series, markers: true);
        plot?.SavePng(path, Width + 240, Height + 120); // room for the legend of many lines
        return plot is not null;
    }

    private static Plot? LinePlot(string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series, bool markers = false)
    {
        var drawn = series.Where(s => !s.IsEmpty).ToList();
        if (drawn.Count == 0) return null;
        var plot = Titled(title, xLabel, yLabel);
        if (drawn.Count > 10) plot.Add.Palette = new ScottPlot.Palettes.Category20(); // the default 10 colours would repeat
        foreach (var s in drawn)
        {
            var line = plot.Add.ScatterLine(s.Xs, s.Ys);
            if (drawn.Count > 1) line.LegendText = s.Name; // one line needs no legend
            line.LineWidth = 1.5f;
            if (markers || s.Xs.Length == 1) line.MarkerSize = 6; // a single point has no line to show
        }

        if (drawn.Count > 1) plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>One bar per label, values in [0, 1] shown as percentages.</summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> labels, IReadOnlyList<double> values)
    {
        using var plot = Titled(title, "", yLabel);
        var bars = plot.Add.Bars([.. values.Select(v => double.IsFinite(v) ? 100 * v : 0)]);
        bars.Color = Colors.SteelBlue;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)i)], [.. labels]);
        plot.Axes.SetLimitsY(0, 105);
        plot.Axes.Margins(bottom: 0);
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>
    /// Each member a horizontal line over its life; each copy an arrow from the source's line to
    /// the member's at the moment it happened: exploits (weights) solid red, exchanges
    /// (hyperparameters only) dashed grey.
    /// </summary>
    public static string Lineage(PopulationLog log)
    {
        using var plot = Titled("Lineage", "seconds since the run started", "");
        var rows = log.Members.Select((m, i) => (m.MemberId, Row: (double)i)).ToDictionary(r => r.MemberId, r => r.Row, StringComparer.Ordinal);
        foreach (var member in log.Members)
        {
            var y = rows[member.MemberId];
            var line = plot.Add.Line(member.Start, y, Math.Max(member.End, member.Start + 0.01), y);
            line.LineWidth = 3;
            line.Color = Colors.SteelBlue;
        }

        foreach (var copy in log.Copies.Where(c => rows.ContainsKey(c.MemberId) && rows.ContainsKey(c.SourceId)))
        {
            var arrow = plot.Add.Arrow(new Coordinates(copy.Seconds, rows[copy.SourceId]), new Coordinates(copy.Seconds, rows[copy.MemberId]));
            var exploit = copy.Kind == EventKinds.Exploit;
            arrow.ArrowFillColor = exploit ? Colors.FireBrick : Colors.Gray;
            arrow.ArrowLineColor = arrow.ArrowFillColor;
        }

        plot.Axes.Left.SetTicks([.. rows.Values], [.. rows.Keys]);
        plot.Axes.SetLimitsY(-0.5, Math.Max(0.5, log.Members.Count - 0.5));
        return plot.GetSvgXml(Width, Math.Max(200, 60 + 40 * log.Members.Count));
    }

    private static Plot Titled(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
