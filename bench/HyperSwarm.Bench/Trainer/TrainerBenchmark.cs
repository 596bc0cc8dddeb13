using System.Diagnostics;
using System.Globalization;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Trainer;

/// <summary>
/// <c>hyperswarm bench trainer</c>: images/s of a DenseNet-BC training step (depth 40, growth 12,
/// batch 128, Fashion-MNIST shapes, MPELU, Fixup-Dense) through HyperSwarm vs the same network
/// and step in PyTorch eager (bench/peers/densenet_step.py), same threads, same invocation.
/// Figure: <c>throughput_ratio_vs_pytorch</c> (target ≥ 1.0).
/// </summary>
public sealed class TrainerBenchmark : IBenchmark
{
    private const int Batch = 128;
    private const int Depth = 40;
    private const int Growth = 12;

    /// <inheritdoc />
    public string Name => "trainer";

    /// <inheritdoc />
    public string Description => "DenseNet-BC-40 training-step throughput vs the same network in PyTorch eager.";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var steps = options.Quick ? 1 : 3;
        var reps = options.Quick ? 1 : 3;
        var inv = CultureInfo.InvariantCulture;

        await log.WriteLineAsync($"trainer: DenseNet-BC-{Depth} k={Growth}, batch {Batch}, {options.Threads} thread(s), C#").ConfigureAwait(false);
        var ours = new List<double>(await TorchThread.RunAsync(options.Threads, () => MeasurePlainStep(steps, reps)).ConfigureAwait(false));
        await log.WriteLineAsync("trainer: the same step in PyTorch eager").ConfigureAwait(false);
        var py = await PeerProcess.RunJsonAsync(options.PythonPath,
            [Binding.BindingBenchmark.PeerPath("densenet_step.py"), "--threads", options.Threads.ToString(inv), "--depth", Depth.ToString(inv),
             "--growth", Growth.ToString(inv), "--batch", Batch.ToString(inv), "--steps", steps.ToString(inv), "--reps", reps.ToString(inv)],
            cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync("trainer: C# again").ConfigureAwait(false);
        ours.AddRange(await TorchThread.RunAsync(options.Threads, () => MeasurePlainStep(steps, reps)).ConfigureAwait(false));

        var ourRate = ours.Order().ElementAt(ours.Count / 2);
        var pyRate = py.GetProperty("images_per_s").GetDouble();
        return new BenchReport(Name,
            [
                new("DenseNet-BC-40 train step", "HyperSwarm (C#)", ourRate, "images/s"),
                new("DenseNet-BC-40 train step", "PyTorch eager", pyRate, "images/s"),
            ],
            new Dictionary<string, double>
            {
                ["throughput_ratio_vs_pytorch"] = ourRate / pyRate,
                ["csharp_images_per_s"] = ourRate,
                ["pytorch_images_per_s"] = pyRate,
            },
            new Dictionary<string, string>
            {
                ["threads"] = options.Threads.ToString(inv),
                ["model"] = $"densenet-bc depth {Depth} growth {Growth} mpelu fixup",
                ["batch"] = Batch.ToString(inv),
            });
    }

    private static List<double> MeasurePlainStep(int steps, int reps)
    {
        Torch.Torch.ManualSeed(0);
        using var net = new DenseNetBC(new DenseNetOptions { Depth = Depth, GrowthRate = Growth });
        using var x = Torch.Torch.Randn([Batch, 1, 28, 28]);     // (B, 1, 28, 28)
        using var y = Torch.Torch.RandInt(0, 10, [Batch]);       // (B,)
        var parameters = net.Parameters().Select(p => p.Value).ToArray();
        Step(net, parameters, x, y);
        var rates = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++) Step(net, parameters, x, y);
            rates.Add(steps * Batch / sw.Elapsed.TotalSeconds);
        }

        return rates;
    }

    // Forward, cross-entropy, backward, in-place SGD: exactly what the Python peer does.
    private static void Step(DenseNetBC net, Tensor[] parameters, Tensor x, Tensor y)
    {
        using var scope = TensorScope.Begin();
        Functional.CrossEntropy(net.Forward(x), y).Backward();
        using (NoGrad.Enter())
        {
            foreach (var p in parameters)
            {
                p.AddInPlace(p.Grad!, -0.01);
                p.SetGrad(null);
            }
        }
    }
}
