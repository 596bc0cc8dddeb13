using System.Diagnostics;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Binding;

/// <summary>
/// <c>hyperswarm bench binding</c>: the cost of the C# → libtorch boundary.
/// <list type="bullet">
/// <item><c>op_overhead_us</c>: per-op time of a 16-element add from C#, minus the same loop in
/// a C++ program against libtorch directly (bench/peers/cpp). Target ≤ 1.0.</item>
/// <item><c>step_ratio_vs_pytorch</c>: images/s of one training step of the same conv net
/// (batch 128, same threads) through the binding, divided by PyTorch eager
/// (bench/peers/binding_step.py). Target ≥ 1.0.</item>
/// </list>
/// </summary>
public sealed class BindingBenchmark : IBenchmark
{
    private const int Batch = 128;

    /// <inheritdoc />
    public string Name => "binding";

    /// <inheritdoc />
    public string Description => "Native call overhead vs C++ libtorch, and a conv-net training step vs PyTorch eager.";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var addIters = options.Quick ? 20_000 : 200_000;
        var steps = options.Quick ? 3 : 20;
        var reps = options.Quick ? 2 : 5;

        await log.WriteLineAsync($"binding: add16 x{addIters} from C#").ConfigureAwait(false);
        var csharpNs = await TorchThread.RunAsync(options.Threads, () => MeasureAddNs(addIters, reps)).ConfigureAwait(false);
        await log.WriteLineAsync("binding: add16 from C++ (building the peer if needed)").ConfigureAwait(false);
        var cpp = await CppPeer.RunAsync(options.Threads, addIters, cancellationToken).ConfigureAwait(false);
        var cppNs = cpp.GetProperty("ns_per_op_median").GetDouble();

        // C# before and after the Python peer, so drift in machine load hits both sides.
        await log.WriteLineAsync($"binding: conv-net step, batch {Batch}, {options.Threads} thread(s), C#").ConfigureAwait(false);
        var ours = new List<double>(await TorchThread.RunAsync(options.Threads, () => MeasureStep(steps, reps)).ConfigureAwait(false));
        await log.WriteLineAsync("binding: conv-net step, PyTorch eager").ConfigureAwait(false);
        var py = await PeerProcess.RunJsonAsync(options.PythonPath,
            [PeerPath("binding_step.py"), "--threads", options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--batch", Batch.ToString(System.Globalization.CultureInfo.InvariantCulture), "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--reps", reps.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync("binding: conv-net step, C# again").ConfigureAwait(false);
        ours.AddRange(await TorchThread.RunAsync(options.Threads, () => MeasureStep(steps, reps)).ConfigureAwait(false));
        var ourRate = Median(ours);
        var pyRate = py.GetProperty("images_per_s").GetDouble();

        var rows = new List<BenchRow>
        {
            new("add 16 floats", "HyperSwarm (C#)", csharpNs / 1000, "µs/op"),
            new("add 16 floats", "libtorch (C++)", cppNs / 1000, "µs/op"),
            new("conv-net train step", "HyperSwarm (C#)", ourRate, "images/s"),
            new("conv-net train step", "PyTorch eager", pyRate, "images/s"),
        };
        var figures = new Dictionary<string, double>
        {
            ["op_overhead_us"] = (csharpNs - cppNs) / 1000,
            ["step_ratio_vs_pytorch"] = ourRate / pyRate,
            ["csharp_add_us"] = csharpNs / 1000,
            ["cpp_add_us"] = cppNs / 1000,
            ["csharp_images_per_s"] = ourRate,
            ["pytorch_images_per_s"] = pyRate,
        };
        var context = new Dictionary<string, string>
        {
            ["threads"] = options.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["libtorch"] = Torch.Torch.Version,
            ["pytorch"] = py.GetProperty("torch").GetString() ?? "?",
        };
        return new BenchReport(Name, rows, figures, context);
    }

    internal static string PeerPath(string name) => Path.Combine(AppContext.BaseDirectory, "peers", name);

    private static double MeasureAddNs(int iters, int reps)
    {
        using var a = Torch.Torch.Randn([16]);
        using var b = Torch.Torch.Randn([16]);
        for (var i = 0; i < iters / 10; i++)
        {
            using var warm = a + b;
        }

        var samples = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < iters; i++)
            {
                using var c = a + b; // a fresh result each time, freed at once: the C++ peer does the same
            }

            samples.Add(sw.Elapsed.TotalNanoseconds / iters);
        }

        return Median(samples);
    }

    private static List<double> MeasureStep(int steps, int reps)
    {
        Torch.Torch.ManualSeed(0);
        using var net = new BenchConvNet();
        using var x = Torch.Torch.Randn([Batch, 1, 28, 28]);        // (B, 1, 28, 28)
        using var y = Torch.Torch.RandInt(0, 10, [Batch]);          // (B,)
        for (var i = 0; i < 5; i++) net.Step(x, y, 0.01);
        var rates = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++) net.Step(x, y, 0.01);
            rates.Add(steps * Batch / sw.Elapsed.TotalSeconds);
        }

        return rates;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
