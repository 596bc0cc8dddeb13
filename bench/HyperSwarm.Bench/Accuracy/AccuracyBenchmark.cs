using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>
/// <c>bench accuracy</c>: Fashion-MNIST (full training files, validation carved from them, test
/// files for the score) trained by each <see cref="AccuracyArm"/> for the same wall-clock
/// budget, one after another, each in a fresh <c>hyperswarm train</c> process with the same
/// threads. The figure is every arm's test accuracy and the zero-config arm's margin over the
/// best baseline. The final test evaluation is outside the budget for every arm.
/// </summary>
public sealed class AccuracyBenchmark : IBenchmark
{
    /// <summary>The budget per arm when none is given (the setting for a 2-core machine).</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan QuickBudget = TimeSpan.FromSeconds(20);

    public string Name => "accuracy";

    public string Description => "Zero-config HyperSwarm vs itself with self-tuning off, Adam and SGD one-cycle on Fashion-MNIST, equal wall clock per arm (--budget, default 15m).";

    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var budget = options.Budget ?? (options.Quick ? QuickBudget : DefaultBudget);
        var runsRoot = BenchFolder.For("accuracy");
        Directory.CreateDirectory(runsRoot);
        await log.WriteLineAsync($"accuracy: {AccuracyArm.All.Count} arms × {budget} each, {options.Threads} threads; runs in {runsRoot}").ConfigureAwait(false);

        var (rows, figures, context) = await RunArmsAsync(AccuracyArm.All, budget, options.Threads, runsRoot, options.DataPath, log, cancellationToken).ConfigureAwait(false);
        context["budget_per_arm"] = budget.ToString();
        context["runs"] = runsRoot;
        return new BenchReport(Name, rows, figures, context);
    }

    /// <summary>
    /// Trains every arm for <paramref name="budget"/>, one after another, and returns the rows and
    /// figures: each arm's test accuracy and epochs, and <c>zero_config_minus_best_baseline</c>.
    /// </summary>
    internal static async Task<(List<BenchRow> Rows, Dictionary<string, double> Figures, Dictionary<string, string> Runs)> RunArmsAsync(
        IReadOnlyList<AccuracyArm> arms, TimeSpan budget, int threads, string runsRoot, string? dataPath, TextWriter log, CancellationToken cancellationToken)
    {
        var rows = new List<BenchRow>();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        var accuracies = new Dictionary<string, double>(StringComparer.Ordinal);
        var runs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arm in arms)
        {
            await log.WriteLineAsync($"arm {arm.Name}: {arm.Description}").ConfigureAwait(false);
            var result = await RunArmAsync(arm.Arguments(budget, threads, runsRoot, dataPath), log, cancellationToken).ConfigureAwait(false);
            var accuracy = result.GetProperty("test_accuracy").GetDouble();
            accuracies[arm.Name] = accuracy;
            figures[$"test_acc_{arm.Name.Replace('-', '_')}"] = accuracy;
            rows.Add(new BenchRow("test accuracy", arm.Name, accuracy * 100, "%"));
            rows.Add(new BenchRow("epochs in budget", arm.Name, result.GetProperty("epochs").GetDouble(), "epochs"));
            runs[$"run_{arm.Name}"] = result.GetProperty("run").GetString() ?? "";
        }

        var bestBaseline = arms.Where(a => a.IsBaseline).Max(a => accuracies[a.Name]);
        figures["zero_config_minus_best_baseline"] = accuracies["zero-config"] - bestBaseline;
        if (accuracies.TryGetValue("stn-off", out var off)) figures["stn_on_minus_off"] = accuracies["zero-config"] - off;
        return (rows, figures, runs);
    }

    // Runs `hyperswarm ARGS` as a child (with environment additions), echoing its evaluation lines
    // and a progress line a minute, and returns the JSON object on its last stdout line.
    internal static async Task<JsonElement> RunArmAsync(IReadOnlyList<string> arguments, TextWriter log, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var (exe, args) = PeerProcess.Self(arguments);
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var lastEcho = DateTime.MinValue;
        string? lastError = null;
        while (await process.StandardError.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("error:", StringComparison.Ordinal)) lastError = line;
            var progress = line.StartsWith('[');
            if (line.StartsWith("validation:", StringComparison.Ordinal) || line.StartsWith("test:", StringComparison.Ordinal)
                || (progress && DateTime.UtcNow - lastEcho > TimeSpan.FromMinutes(1)))
            {
                if (progress) lastEcho = DateTime.UtcNow;
                await log.WriteLineAsync("  " + line).ConfigureAwait(false);
            }
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"hyperswarm {string.Join(' ', arguments)} exited with {process.ExitCode}: {lastError}");
        var last = output.TrimEnd().Split('\n')[^1];
        return JsonDocument.Parse(last).RootElement.Clone();
    }
}
