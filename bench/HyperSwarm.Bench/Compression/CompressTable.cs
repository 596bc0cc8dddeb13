using System.Globalization;
using System.Text;

namespace HyperSwarm.Bench.Compression;

/// <summary><c>bench compress</c>'s results as a Markdown table and as the accuracy-against-size curves.</summary>
public static class CompressTable
{
    /// <summary>One line per export, in the order measured.</summary>
    public static string Markdown(IReadOnlyList<CompressResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine("| model | training | export | test acc. (%) | non-zero params | file bytes | ORT µs/image (batch 1, 1 thread) |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Model} | {CompressArm.Describe(r.Arm)} | {r.Variant.Name} | {100 * r.Accuracy:F2} | {r.Parameters:N0} | {r.Bytes:N0} | {r.LatencyMicroseconds:F0} |"));
        }

        return text.ToString();
    }

    /// <summary>
    /// Test accuracy (%) against log10(non-zero parameters): per model and training, one line for
    /// per-weight pruning, one for structured, one for structured and fine-tuned, each from the
    /// dense model down to the highest sparsity; a targeted arm only at the exports it is
    /// compared on (<see cref="CompressArm.TargetedFor"/>), from its own dense model. (int8 keeps the dense parameters: in the table.)
    /// </summary>
    public static IReadOnlyList<BenchSeries> Series(IReadOnlyList<CompressResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var series = new List<BenchSeries>();
        foreach (var group in results.GroupBy(r => (r.Model, r.Arm)))
        {
            var dense = group.First(r => r.Variant is { Sparsity: 0, Int8: false });
            foreach (var (label, pick) in new (string, Func<CompressVariant, bool>)[]
            {
                ("per weight", v => !v.Structured && v.Sparsity > 0 && !v.Int8),
                ("structured", v => v.Structured && !v.FineTuned),
                ("structured +ft", v => v.Structured && v.FineTuned),
            })
            {
                var kept = group.Where(r => pick(r.Variant) && (group.Key.Arm == CompressArm.Plain || CompressArm.TargetedFor(r.Variant) == group.Key.Arm)).ToList();
                if (kept.Count == 0) continue;
                var points = kept.Prepend(dense).OrderByDescending(r => r.Parameters).ToList();
                series.Add(new BenchSeries($"{group.Key.Model} {group.Key.Arm} {label}",
                    [.. points.Select(p => Math.Log10(p.Parameters))], [.. points.Select(p => 100 * p.Accuracy)]));
            }
        }

        return series;
    }
}
