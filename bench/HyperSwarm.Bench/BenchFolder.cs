using System.Globalization;

namespace HyperSwarm.Bench;

/// <summary>Where a benchmark run keeps its files: <c>$TMP/hyperswarm-bench-NAME/UTC-TIME</c>, one folder per run.</summary>
internal static class BenchFolder
{
    public static string For(string benchmark) =>
        Path.Combine(Path.GetTempPath(), $"hyperswarm-bench-{benchmark}", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
}
