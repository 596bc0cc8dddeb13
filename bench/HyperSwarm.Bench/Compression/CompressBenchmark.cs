using System.Globalization;
using HyperSwarm.Bench.Accuracy;
using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.Bench.Compression;

/// <summary>
/// <c>bench compress</c>: DenseNet-BC and the small CNN trained on Fashion-MNIST with and without
/// targeted dropout (<see cref="CompressArm"/>, equal weight steps), each exported as every
/// <see cref="CompressVariant"/>; per export the test accuracy on the full test split (ONNX
/// Runtime), the non-zero parameters, the file's bytes and the latency per image at batch 1 on
/// one thread. The dense model also goes through PyTorch's exporter
/// (<c>bench/peers/torch_onnx_export.py</c>) and the same ONNX Runtime:
/// <c>latency_ratio_vs_torch_onnx</c> = ours / theirs (target ≤ 1). Draws accuracy against
/// parameters as a PNG and writes the table as Markdown beside it.
/// </summary>
public sealed class CompressBenchmark : IBenchmark
{
    /// <summary>
    /// Weight steps per DenseNet-BC arm (three epochs at batch 128) and per small-CNN arm. At 400
    /// steps (one epoch) targeted dropout cost DenseNet-BC-16's dense model 9.3 points against
    /// plain (76.93 % vs 86.19 %); at 1,200 steps, 3.8 (86.53 % vs 90.30 %, measured side by side).
    /// </summary>
    public const long DenseNetSteps = 1200;

    public const long SmallCnnSteps = 1200;

    /// <summary>Fine-tuning steps after structured pruning (equal for every arm).</summary>
    public const long FineTuneSteps = 100;

    public string Name => "compress";

    public string Description => "Targeted dropout vs plain, DenseNet-BC and small CNN on Fashion-MNIST (equal weight steps; --steps sets DenseNet's), exported pruned (0.5/0.75/0.9, per weight and structured, fine-tuned) and int8; accuracy, parameters, bytes, ORT latency; vs torch.onnx.export.";

    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var root = BenchFolder.For("compress");
        Directory.CreateDirectory(root);
        var dataPath = options.DataPath ?? DataConfig.DefaultPath;
        var steps = new Dictionary<string, long>
        {
            ["densenet-bc"] = options.Steps ?? (options.Quick ? 20 : DenseNetSteps),
            ["small-cnn"] = options.Quick ? 40 : Math.Max(SmallCnnSteps, options.Steps ?? 0),
        };
        var fineTuneSteps = options.Quick ? 5 : FineTuneSteps;
        await log.WriteLineAsync($"compress: {string.Join(", ", steps.Select(s => $"{s.Key} {s.Value} steps per arm"))}, fine-tuning {fineTuneSteps} steps, {options.Threads} threads; files in {root}").ConfigureAwait(false);

        var sets = DatasetCatalog.Load(dataPath);
        var results = new List<CompressResult>();
        var figures = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var model in steps.Keys)
        {
            var modelResults = new List<CompressResult>();
            string? plainModel = null;
            foreach (var arm in CompressArm.For(model))
            {
                await log.WriteLineAsync($"arm {model} {arm.Name}: training {steps[model]} steps").ConfigureAwait(false);
                var run = await AccuracyBenchmark.RunArmAsync(arm.Arguments(steps[model], options.Threads, Path.Combine(root, "runs"), options.DataPath), log, cancellationToken).ConfigureAwait(false);
                var modelDir = Path.Combine(run.GetProperty("run").GetString()!, "model");
                if (arm.Targeting is null) plainModel = modelDir;
                var folder = Directory.CreateDirectory(Path.Combine(root, model, arm.Name)).FullName;
                modelResults.AddRange(await ExportAllAsync(model, arm.Name, modelDir, folder, sets, fineTuneSteps, options.Threads, log, cancellationToken).ConfigureAwait(false));
            }

            results.AddRange(modelResults);
            var plainFolder = Path.Combine(root, model, CompressArm.Plain);
            if (model == "densenet-bc")
            {
                // The model as PyTorch code writes it, and (as a check on the exporters alone) our own graph replayed.
                var weights = DenseNetPeerWeights.Write(plainModel!, Path.Combine(plainFolder, "torch-module.json"));
                figures["latency_ratio_vs_torch_onnx"] = await PeerRatioAsync(model, plainFolder, "torch-onnx-export.onnx", weights, sets.Test, options, log, cancellationToken).ConfigureAwait(false);
                figures["latency_ratio_vs_torch_onnx_same_graph"] = await PeerRatioAsync(model, plainFolder, "torch-onnx-replay.onnx", null, sets.Test, options, log, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                figures[$"latency_ratio_vs_torch_onnx_{Key(model)}"] = await PeerRatioAsync(model, plainFolder, "torch-onnx-export.onnx", null, sets.Test, options, log, cancellationToken).ConfigureAwait(false);
            }

            CompressTargets.Add(figures, model, modelResults);
        }

        var table = CompressTable.Markdown(results);
        await log.WriteLineAsync(table).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(root, "compress.md"), table, cancellationToken).ConfigureAwait(false);
        var rows = results.Select(r => new BenchRow($"{r.Variant.Name} test accuracy", $"{r.Model} {r.Arm}", r.Accuracy * 100, "%")).ToList();
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["files"] = root,
            ["equal_budget"] = string.Join(", ", steps.Select(s => $"{s.Key} {s.Value} weight steps per arm")) + $"; fine-tuning {fineTuneSteps} steps",
            ["targeted_dropout"] = string.Create(CultureInfo.InvariantCulture, $"td-units-G: unit targeting at gamma G (structured exports), G in {string.Join(", ", CompressArm.UnitGammas)}; td-weights-G: weight targeting (per-weight exports), G in {string.Join(", ", CompressArm.WeightGammas)}; each export compared on the least targeted arm with gamma >= its sparsity; alpha tuned by the STN"),
            ["targets"] = "latency_ratio_vs_torch_onnx <= 1; td 4x fewer parameters (structured) costs <= 1 point; td >= plain at every sparsity (pruned exports; fine-tuned ones reported apart); int8 <= 0.5 point at ~4x smaller files",
        };
        var plot = new BenchPlot(Path.Combine(root, "accuracy-vs-size.png"), "bench compress: test accuracy against size", "log10(non-zero parameters)", "test accuracy (%)", CompressTable.Series(results));
        context["plot"] = plot.Path;
        return new BenchReport(Name, rows, figures, context) { Plots = [plot] };
    }

    /// <summary>A model's or an arm's name as part of a figure's key: <c>small-cnn</c> → <c>small_cnn</c>, <c>td-units-0.9</c> → <c>td_units_0_9</c>.</summary>
    internal static string Key(string name) => name.Replace('-', '_').Replace('.', '_');

    // Every variant of one trained model: exported (pruned, fine-tuned, quantized) on a torch
    // thread, then scored, counted and timed under ONNX Runtime.
    private static async Task<List<CompressResult>> ExportAllAsync(string model, string arm, string modelDir, string folder, TrainTestSets sets, long fineTuneSteps, int threads, TextWriter log, CancellationToken cancellationToken)
    {
        var results = new List<CompressResult>();
        using var torch = await TorchThread.StartAsync(threads, "bench-compress").ConfigureAwait(false);
        var files = new List<(CompressVariant Variant, string Path, long Steps)>();
        foreach (var variant in CompressVariant.All)
        {
            var path = Path.Combine(folder, variant.FileName);
            var stepsTaken = await torch.InvokeAsync(() => Export(modelDir, path, variant, sets.Train, fineTuneSteps, threads, cancellationToken)).ConfigureAwait(false);
            files.Add((variant, path, stepsTaken));
        }

        var test = sets.Test;
        var indices = Enumerable.Range(0, test.Count).ToArray();
        var latencyImages = TestImages(test, 300, files[0].Path);
        var latencies = OrtLatency.Measure([.. files.Select(f => f.Path)], latencyImages, test.Shape.Size);
        for (var i = 0; i < files.Count; i++)
        {
            var (variant, path, stepsTaken) = files[i];
            using var onnx = OnnxClassifier.Load(path, threads);
            var evaluation = HostEvaluator.Evaluate(onnx.Logits, test, indices, onnx.Normalization, 250);
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var result = new CompressResult(model, arm, variant, evaluation.Accuracy, OnnxFileStats.NonZeroParameters(bytes), bytes.Length, latencies[i], stepsTaken);
            results.Add(result);
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {model} {arm} {variant.Name}: {100 * result.Accuracy:F2} %, {result.Parameters:N0} params, {result.Bytes:N0} bytes, {result.LatencyMicroseconds:F0} µs")).ConfigureAwait(false);
        }

        return results;
    }

    private static long Export(string modelDir, string path, CompressVariant variant, ImageDataset train, long fineTuneSteps, int threads, CancellationToken cancellationToken)
    {
        using var exported = ExportedModel.Load(modelDir);
        var plan = variant.Sparsity > 0 ? PruningPlan.For(exported.Model, OnnxExport.Lambda(exported), variant.Sparsity, variant.Structured) : null;
        long steps = 0;
        if (variant.FineTuned) steps = FineTuning.Run(exported, plan ?? PruningPlan.None, train, new FineTuneBudget(null, fineTuneSteps), seed: 0, cancellationToken);
        var calibration = variant.Int8 ? Int8Calibration.From(train, exported.Normalization, threads: threads) : null;
        File.WriteAllBytes(path, OnnxExport.ToBytes(exported, Path.GetFileName(path), plan, calibration));
        return steps;
    }

    // The dense plain model through PyTorch's exporter, built from the module weights when given
    // (else replayed from our file); both files timed interleaved. Also checks the two files
    // compute the same logits, or the comparison would be of different models.
    private static async Task<double> PeerRatioAsync(string model, string folder, string fileName, string? moduleWeights, ImageDataset test, BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var ours = Path.Combine(folder, CompressVariant.All[0].FileName);
        var theirs = Path.Combine(folder, fileName);
        string[] arguments = moduleWeights is null
            ? [PeerProcess.PeerPath("torch_onnx_export.py"), ours, theirs]
            : [PeerProcess.PeerPath("torch_onnx_export.py"), ours, theirs, "--module", moduleWeights];
        var peer = await PeerProcess.RunJsonAsync(options.PythonPath, arguments, cancellationToken).ConfigureAwait(false);
        var images = TestImages(test, 300, ours);
        var difference = MaxDifference(ours, theirs, images, 64);
        if (!(difference <= 1e-3)) throw new InvalidOperationException($"torch.onnx.export's file gives other logits than ours (max difference {difference}): the latency comparison would be of two models.");
        var latencies = OrtLatency.Measure([ours, theirs], images, test.Shape.Size, rounds: 10);
        var ratio = latencies[0] / latencies[1];
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{model}: ours {latencies[0]:F0} µs, torch.onnx.export ({(moduleWeights is null ? "our graph replayed" : "PyTorch module")}) {latencies[1]:F0} µs per image ({peer.GetProperty("bytes").GetInt64():N0} bytes, torch {peer.GetProperty("torch").GetString()}); logits agree to {difference:E1}; ratio {ratio:F3}")).ConfigureAwait(false);
        return ratio;
    }

    private static double MaxDifference(string a, string b, float[] images, int count)
    {
        using var first = OnnxClassifier.Load(a, 1);
        using var second = OnnxClassifier.Load(b, 1);
        var size = images.Length / 300;
        var batch = images[..(count * size)];
        return first.Logits(batch, count).Zip(second.Logits(batch, count), (x, y) => Math.Abs(x - y)).Max();
    }

    // The first `count` test images, normalised as the file's card says.
    private static float[] TestImages(ImageDataset test, int count, string onnxPath)
    {
        using var onnx = OnnxClassifier.Load(onnxPath, 1);
        var size = test.Shape.Size;
        var images = new float[count * size];
        for (var i = 0; i < count; i++) PixelConversion.ToUnit(test.Image(i), images.AsSpan(i * size, size));
        onnx.Normalization.Apply(images, test.Shape);
        return images;
    }
}
