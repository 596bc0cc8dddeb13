using System.Diagnostics;
using System.Globalization;
using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>
/// <c>bench images</c>: Fashion-MNIST written out as PNG class folders (<see cref="PngClassFolders"/>),
/// decoded and cached once the way <c>--data FOLDER</c> does it (timed: seconds and images/s, then
/// the cached reload), then the zero-config recipe trained from the folder and from the IDX files
/// for the same wall-clock budget each, scored on the same 10,000 test images. The figure is
/// <c>folder_minus_idx_test_acc</c> (target ≥ −0.005): a user's own images must train as well as
/// the built-in files.
/// </summary>
public sealed class ImagesBenchmark : IBenchmark
{
    private static readonly TimeSpan DefaultBudget = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan QuickBudget = TimeSpan.FromSeconds(20);

    public string Name => "images";

    public string Description => "Fashion-MNIST as PNG class folders vs its IDX files: decode-and-cache time and images/s, then zero-config trained from each for the same wall clock (--budget, default 5m).";

    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var budget = options.Budget ?? (options.Quick ? QuickBudget : DefaultBudget);
        var root = BenchFolder.For("images");
        var source = options.DataPath ?? GpuActors.Training.DataConfig.DefaultPath;
        var folder = Path.Combine(root, "images");
        // The bench's own cache, cold at the start; the training runs find it through XDG_CACHE_HOME.
        var cacheHome = Path.Combine(root, "cache");
        var cacheDirectory = Path.Combine(cacheHome, "hyperswarm", "image-folders");

        var clock = Stopwatch.StartNew();
        var files = PngClassFolders.Write(source, folder);
        var writeSeconds = clock.Elapsed.TotalSeconds;
        await log.WriteLineAsync($"images: wrote {files:N0} PNG files in {writeSeconds:F1} s under {folder}").ConfigureAwait(false);

        var load = new DatasetLoadOptions { CacheDirectory = cacheDirectory };
        clock.Restart();
        var decoded = DatasetCatalog.Load(folder, load);
        var decodeSeconds = clock.Elapsed.TotalSeconds;
        var images = decoded.Train.Count + decoded.Test.Count;
        clock.Restart();
        var cached = DatasetCatalog.Load(folder, load);
        var cachedSeconds = clock.Elapsed.TotalSeconds;
        if (cached.Train.Count + cached.Test.Count != images) throw new InvalidOperationException("the cached folder holds other images than the decoded one.");
        await log.WriteLineAsync($"images: decoded and cached {images:N0} images in {decodeSeconds:F1} s ({images / decodeSeconds:N0} images/s); cached reload {cachedSeconds:F2} s").ConfigureAwait(false);

        var runs = Path.Combine(root, "runs");
        var arm = AccuracyArm.All[0]; // zero-config: nothing given, as a user with a folder of photos runs it
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = cacheHome };
        var rows = new List<BenchRow>();
        var accuracy = new Dictionary<string, double>(StringComparer.Ordinal);
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, data) in new[] { ("folder", folder), ("idx", source) })
        {
            await log.WriteLineAsync($"arm {name}: {arm.Description}, --data {data}, {budget}").ConfigureAwait(false);
            var result = await AccuracyBenchmark.RunArmAsync(arm.Arguments(budget, options.Threads, runs, data), log, cancellationToken, environment).ConfigureAwait(false);
            accuracy[name] = result.GetProperty("test_accuracy").GetDouble();
            rows.Add(new BenchRow("test accuracy", name, accuracy[name] * 100, "%"));
            rows.Add(new BenchRow("epochs in budget", name, result.GetProperty("epochs").GetDouble(), "epochs"));
            context[$"run_{name}"] = result.GetProperty("run").GetString() ?? "";
        }

        rows.Add(new BenchRow("decode and cache", "folder", decodeSeconds, "s"));
        rows.Add(new BenchRow("decode throughput", "folder", images / decodeSeconds, "images/s"));
        rows.Add(new BenchRow("cached reload", "folder", cachedSeconds, "s"));
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["test_acc_folder"] = accuracy["folder"],
            ["test_acc_idx"] = accuracy["idx"],
            ["folder_minus_idx_test_acc"] = accuracy["folder"] - accuracy["idx"],
            ["decode_and_cache_seconds"] = decodeSeconds,
            ["decode_images_per_second"] = images / decodeSeconds,
            ["cached_reload_seconds"] = cachedSeconds,
            ["png_write_seconds"] = writeSeconds,
        };
        context["budget_per_arm"] = budget.ToString();
        context["images"] = images.ToString(CultureInfo.InvariantCulture);
        context["folder"] = folder;
        context["target"] = "folder_minus_idx_test_acc >= -0.005";
        return new BenchReport(Name, rows, figures, context);
    }
}
