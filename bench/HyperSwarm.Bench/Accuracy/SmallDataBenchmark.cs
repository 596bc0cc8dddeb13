using System.Globalization;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>
/// <c>bench small-data</c>: the arms of <c>bench accuracy</c> (zero-config HyperSwarm, the same with self-tuning off, Adam 1e-3,
/// SGD one-cycle at 0.1, same network) on a 2,000-image stratified subset of Fashion-MNIST's
/// training set (200 per class, <see cref="StratifiedSubset"/>), scored on the full test set, with
/// an equal wall-clock budget per arm (5 minutes by default). Scarce data is the non-expert's usual
/// case, and where learned regularisation must pay: the figure is
/// <c>zero_config_minus_best_baseline</c> (target ≥ +0.02).
/// </summary>
public sealed class SmallDataBenchmark : IBenchmark
{
    /// <summary>Images per class in the subset.</summary>
    public const int PerClass = 200;

    private static readonly TimeSpan DefaultBudget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan QuickBudget = TimeSpan.FromSeconds(20);

    public string Name => "small-data";

    public string Description => "Zero-config HyperSwarm vs itself with self-tuning off, Adam and SGD one-cycle on 2,000 Fashion-MNIST training images (200 per class), full test set, equal wall clock per arm (--budget, default 5m).";

    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var run = Prepare(Name, options);
        await log.WriteLineAsync($"small-data: {run.Images} training images ({run.Classes} classes × {PerClass}) from {run.Source}; {AccuracyArm.All.Count} arms × {run.Budget} each, {options.Threads} threads; runs in {run.Root}").ConfigureAwait(false);

        var (rows, figures, context) = await AccuracyBenchmark.RunArmsAsync(AccuracyArm.All, run.Budget, options.Threads, Path.Combine(run.Root, "runs"), run.Data, log, cancellationToken).ConfigureAwait(false);
        context["budget_per_arm"] = run.Budget.ToString();
        context["training_images"] = run.Images.ToString(CultureInfo.InvariantCulture);
        context["data"] = run.Data;
        context["target"] = "zero_config_minus_best_baseline >= 0.02";
        return new BenchReport(Name, rows, figures, context);
    }

    /// <summary>
    /// A run of <paramref name="benchmark"/> on the subset: its folder, the subset written there as
    /// IDX files (from <c>--data</c> or Fashion-MNIST) and the budget per arm (<c>--budget</c>, 5
    /// minutes by default, 20 s with <c>--quick</c>). Shared by the benchmarks that train on it.
    /// </summary>
    internal static SubsetRun Prepare(string benchmark, BenchOptions options)
    {
        var root = BenchFolder.For(benchmark);
        var data = Path.Combine(root, "data");
        var source = options.DataPath ?? HyperSwarm.GpuActors.Training.DataConfig.DefaultPath;
        var classes = StratifiedSubset.Write(source, data, PerClass);
        return new SubsetRun(root, data, source, classes.Count, classes.Values.Sum(), options.Budget ?? (options.Quick ? QuickBudget : DefaultBudget));
    }
}

/// <summary>Where a benchmark on the small-data subset runs: see <see cref="SmallDataBenchmark.Prepare"/>.</summary>
internal sealed record SubsetRun(string Root, string Data, string Source, int Classes, int Images, TimeSpan Budget);
