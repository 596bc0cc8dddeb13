using System.Globalization;
using System.Text.Json;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>
/// <c>bench equilibration</c>: does self-tuning find the same regularisation from different
/// starts, as the STN paper claims? The zero-config recipe on the 2,000-image subset of
/// <c>bench small-data</c> (where regularisation matters), equal wall clock per arm (5 minutes by
/// default), with the block dropouts starting at 0.01 (the default), 0.1 and 0.3, and the cutout
/// length at 1 (the default) and 8 px. Plots each arm's schedule over weight steps from its
/// <c>hyperparameters.jsonl</c>; the figures are the spread of the final values (max − min) and
/// how much of the starting spread is left (1 = none closed, 0 = the schedules met).
/// </summary>
public sealed class EquilibrationBenchmark : IBenchmark
{
    private static readonly string[] BlockDropouts = ["dropout.block1", "dropout.block2", "dropout.block3"];
    private const string Cutout = "augment.cutout_length";

    /// <summary>The arms: name, block-dropout start, cutout start (the default arm serves both sweeps).</summary>
    internal static readonly (string Name, double Dropout, double Cutout)[] Arms =
    [
        ("default", 0.01, 1),
        ("dropout-0.1", 0.1, 1),
        ("dropout-0.3", 0.3, 1),
        ("cutout-8", 0.01, 8),
    ];

    public string Name => "equilibration";

    public string Description => "Self-tuning from different starts (block dropouts 0.01/0.1/0.3, cutout 1/8 px) on the 2,000-image subset, equal wall clock (--budget, default 5m): do the schedules meet? Plots them.";

    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var run = SmallDataBenchmark.Prepare(Name, options);
        await log.WriteLineAsync($"equilibration: {run.Images} training images; {Arms.Length} arms × {run.Budget} each, {options.Threads} threads; runs in {run.Root}").ConfigureAwait(false);

        var rows = new List<BenchRow>();
        var schedules = new Dictionary<string, List<SchedulePoint>>(StringComparer.Ordinal);
        var context = new Dictionary<string, string>(StringComparer.Ordinal) { ["data"] = run.Data, ["budget_per_arm"] = run.Budget.ToString() };
        foreach (var (name, dropout, cutout) in Arms)
        {
            // The zero-config recipe with only the starting values changed: an accuracy arm of its own.
            var arm = new AccuracyArm(name, $"block dropouts from {dropout}, cutout from {cutout} px",
                [.. BlockDropouts.Select(d => Initial(d, dropout)), Initial(Cutout, cutout)]);
            await log.WriteLineAsync($"arm {arm.Name}: {arm.Description}").ConfigureAwait(false);
            var result = await AccuracyBenchmark.RunArmAsync(arm.Arguments(run.Budget, options.Threads, Path.Combine(run.Root, "runs"), run.Data), log, cancellationToken).ConfigureAwait(false);
            var path = result.GetProperty("run").GetString()!;
            context[$"run_{name}"] = path;
            var schedule = schedules[name] = Schedule(Path.Combine(path, "hyperparameters.jsonl"));
            var accuracy = result.GetProperty("test_accuracy").GetDouble();
            var last = schedule.Count > 0 ? schedule[^1] : new SchedulePoint(0, dropout, cutout);
            rows.Add(new BenchRow("test accuracy", name, accuracy * 100, "%"));
            rows.Add(new BenchRow("final block dropout (mean)", name, last.Dropout, ""));
            rows.Add(new BenchRow("final cutout length", name, last.Cutout, "px"));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {name}: test {accuracy:P2}, block dropout {dropout} → {last.Dropout:F3}, cutout {cutout} → {last.Cutout:F2} px over {schedule.Count} hyper steps")).ConfigureAwait(false);
        }

        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var dropoutArms = Arms.Where(a => a.Cutout == 1).ToArray();
        var cutoutArms = Arms.Where(a => a.Dropout == 0.01).ToArray();
        var finalDropouts = dropoutArms.Select(a => Final(schedules[a.Name], a.Dropout, s => s.Dropout)).ToArray();
        var finalCutouts = cutoutArms.Select(a => Final(schedules[a.Name], a.Cutout, s => s.Cutout)).ToArray();
        figures["dropout_final_spread"] = finalDropouts.Max() - finalDropouts.Min();
        figures["dropout_spread_left"] = figures["dropout_final_spread"] / (dropoutArms.Max(a => a.Dropout) - dropoutArms.Min(a => a.Dropout));
        figures["cutout_final_spread_px"] = finalCutouts.Max() - finalCutouts.Min();
        figures["cutout_spread_left"] = figures["cutout_final_spread_px"] / (cutoutArms.Max(a => a.Cutout) - cutoutArms.Min(a => a.Cutout));

        var dropoutPlot = new BenchPlot(Path.Combine(run.Root, "dropout-schedules.png"), "bench equilibration: block dropout (mean of 3) from three starts", "weight step", "block dropout",
            [.. dropoutArms.Select(a => Series(a.Name, schedules[a.Name], s => s.Dropout))]);
        var cutoutPlot = new BenchPlot(Path.Combine(run.Root, "cutout-schedules.png"), "bench equilibration: cutout length from two starts", "weight step", "cutout length (px)",
            [.. cutoutArms.Select(a => Series(a.Name, schedules[a.Name], s => s.Cutout))]);
        context["plots"] = $"{dropoutPlot.Path}, {cutoutPlot.Path}";
        context["target"] = "the schedules from different starts meet within the budget (spread_left near 0)";
        return new BenchReport(Name, rows, figures, context) { Plots = [dropoutPlot, cutoutPlot] };
    }

    private static string Initial(string name, double value) => $"stn.initial.{name}={value.ToString(CultureInfo.InvariantCulture)}";

    private static double Final(List<SchedulePoint> schedule, double start, Func<SchedulePoint, double> pick) =>
        schedule.Count > 0 ? pick(schedule[^1]) : start;

    private static BenchSeries Series(string name, List<SchedulePoint> schedule, Func<SchedulePoint, double> pick) =>
        new(name, [.. schedule.Select(s => s.Step)], [.. schedule.Select(pick)]);

    // One point per hyper step: the weight step, the mean of the block dropouts, and the cutout
    // length as training applies it (whole pixels).
    internal static List<SchedulePoint> Schedule(string path)
    {
        var points = new List<SchedulePoint>();
        if (!File.Exists(path)) return points;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("values", out var values)) continue;
            var dropout = BlockDropouts.Average(d => values.GetProperty(d).GetDouble());
            points.Add(new SchedulePoint(root.GetProperty("weight_step").GetDouble(), dropout, values.GetProperty(Cutout).GetDouble()));
        }

        return points;
    }
}

/// <summary>One hyper step of a schedule: the weight step, the mean block dropout, the cutout length (px).</summary>
internal readonly record struct SchedulePoint(double Step, double Dropout, double Cutout);
