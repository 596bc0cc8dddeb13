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
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan QuickBudget = TimeSpan.FromSeconds(20);

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
        var budget = options.Budget ?? (options.Quick ? QuickBudget : DefaultBudget);
        var root = BenchFolder.For("equilibration");
        var data = Path.Combine(root, "data");
        var source = options.DataPath ?? HyperSwarm.GpuActors.Training.DataConfig.DefaultPath;
        var classes = StratifiedSubset.Write(source, data, SmallDataBenchmark.PerClass);
        await log.WriteLineAsync($"equilibration: {classes.Values.Sum()} training images; {Arms.Length} arms × {budget} each, {options.Threads} threads; runs in {root}").ConfigureAwait(false);

        var rows = new List<BenchRow>();
        var schedules = new Dictionary<string, List<(double Step, double Dropout, double Cutout)>>(StringComparer.Ordinal);
        var context = new Dictionary<string, string>(StringComparer.Ordinal) { ["data"] = data, ["budget_per_arm"] = budget.ToString() };
        foreach (var (name, dropout, cutout) in Arms)
        {
            var overrides = BlockDropouts.Select(d => $"stn.initial.{d}={dropout.ToString(CultureInfo.InvariantCulture)}")
                .Append($"stn.initial.{Cutout}={cutout.ToString(CultureInfo.InvariantCulture)}");
            var args = new List<string>
            {
                "train", "--budget", $"{(long)budget.TotalSeconds}s", "--threads", options.Threads.ToString(CultureInfo.InvariantCulture),
                "--runs", Path.Combine(root, "runs"), "--json", "--data", data,
            };
            foreach (var o in overrides) args.AddRange(["--set", o]);
            await log.WriteLineAsync($"arm {name}: block dropouts from {dropout}, cutout from {cutout} px").ConfigureAwait(false);
            var result = await AccuracyBenchmark.RunArmAsync(args, log, cancellationToken).ConfigureAwait(false);
            var run = result.GetProperty("run").GetString()!;
            context[$"run_{name}"] = run;
            schedules[name] = Schedule(Path.Combine(run, "hyperparameters.jsonl"));
            var accuracy = result.GetProperty("test_accuracy").GetDouble();
            rows.Add(new BenchRow("test accuracy", name, accuracy * 100, "%"));
            var last = schedules[name].Count > 0 ? schedules[name][^1] : (0, dropout, cutout);
            rows.Add(new BenchRow("final block dropout (mean)", name, last.Dropout, ""));
            rows.Add(new BenchRow("final cutout length", name, last.Cutout, "px"));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {name}: test {accuracy:P2}, block dropout {dropout} → {last.Dropout:F3}, cutout {cutout} → {last.Cutout:F2} px over {schedules[name].Count} hyper steps")).ConfigureAwait(false);
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

        var dropoutPlot = new BenchPlot(Path.Combine(root, "dropout-schedules.png"), "bench equilibration: block dropout (mean of 3) from three starts", "weight step", "block dropout",
            [.. dropoutArms.Select(a => Series(a.Name, schedules[a.Name], s => s.Dropout))]);
        var cutoutPlot = new BenchPlot(Path.Combine(root, "cutout-schedules.png"), "bench equilibration: cutout length from two starts", "weight step", "cutout length (px)",
            [.. cutoutArms.Select(a => Series(a.Name, schedules[a.Name], s => s.Cutout))]);
        context["plots"] = $"{dropoutPlot.Path}, {cutoutPlot.Path}";
        context["target"] = "the schedules from different starts meet within the budget (spread_left near 0)";
        return new BenchReport(Name, rows, figures, context) { Plots = [dropoutPlot, cutoutPlot] };
    }

    private static double Final(List<(double Step, double Dropout, double Cutout)> schedule, double start, Func<(double Step, double Dropout, double Cutout), double> pick) =>
        schedule.Count > 0 ? pick(schedule[^1]) : start;

    private static BenchSeries Series(string name, List<(double Step, double Dropout, double Cutout)> schedule, Func<(double Step, double Dropout, double Cutout), double> pick) =>
        new(name, [.. schedule.Select(s => s.Step)], [.. schedule.Select(pick)]);

    // One point per hyper step: the weight step, the mean of the block dropouts, and the cutout
    // length as training applies it (whole pixels).
    internal static List<(double Step, double Dropout, double Cutout)> Schedule(string path)
    {
        var points = new List<(double, double, double)>();
        if (!File.Exists(path)) return points;
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("values", out var values)) continue;
            var dropout = BlockDropouts.Average(d => values.GetProperty(d).GetDouble());
            points.Add((root.GetProperty("weight_step").GetDouble(), dropout, values.GetProperty(Cutout).GetDouble()));
        }

        return points;
    }
}
