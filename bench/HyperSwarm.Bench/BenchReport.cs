namespace HyperSwarm.Bench;

/// <summary>
/// What a benchmark measured: rows for the human table and the named figures that
/// <c>--json</c> prints as one object (e.g. <c>op_overhead_us</c>).
/// </summary>
public sealed record BenchReport(
    string Benchmark,
    IReadOnlyList<BenchRow> Rows,
    IReadOnlyDictionary<string, double> Figures,
    IReadOnlyDictionary<string, string> Context)
{
    /// <summary>Figures to draw as PNG files (none by default).</summary>
    public IReadOnlyList<BenchPlot> Plots { get; init; } = [];
}

/// <summary>One line of the human table: what was measured, on which side, and the value.</summary>
public sealed record BenchRow(string Measure, string Side, double Value, string Unit);
