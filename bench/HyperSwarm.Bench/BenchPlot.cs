namespace HyperSwarm.Bench;

/// <summary>
/// A figure a benchmark asks for: the harness measures, and <c>hyperswarm bench</c> draws it as a
/// PNG at <see cref="Path"/> with the run report's plotting (one home for plots).
/// </summary>
public sealed record BenchPlot(string Path, string Title, string XLabel, string YLabel, IReadOnlyList<BenchSeries> Series);

/// <summary>One line of a <see cref="BenchPlot"/>.</summary>
public sealed record BenchSeries(string Name, double[] Xs, double[] Ys);
