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
        var budget = options.Budget ?? (options.Quick ? QuickBudget : DefaultBudget);
        var root = BenchFolder.For("small-data");
        var data = Path.Combine(root, "data");
        var source = options.DataPath ?? HyperSwarm.GpuActors.Training.DataConfig.DefaultPath;
        var classes = StratifiedSubset.Write(source, data, PerClass);
        await log.WriteLineAsync($"small-data: {classes.Values.Sum()} training images ({classes.Count} classes × {PerClass}) from {source}; {AccuracyArm.All.Count} arms × {budget} each, {options.Threads} threads; runs in {root}").ConfigureAwait(false);

        var (rows, figures, context) = await AccuracyBenchmark.RunArmsAsync(AccuracyArm.All, budget, options.Threads, Path.Combine(root, "runs"), data, log, cancellationToken).ConfigureAwait(false);
        context["budget_per_arm"] = budget.ToString();
        context["training_images"] = classes.Values.Sum().ToString(CultureInfo.InvariantCulture);
        context["data"] = data;
        context["target"] = "zero_config_minus_best_baseline >= 0.02";
        return new BenchReport(Name, rows, figures, context);
    }
}
