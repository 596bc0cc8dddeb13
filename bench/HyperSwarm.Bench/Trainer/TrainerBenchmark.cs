using HyperSwarm.GpuActors.Worker;
using System.Globalization;
using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.Bench.Trainer;

/// <summary>
/// <c>hyperswarm bench trainer</c>: images/s of a DenseNet-BC training step (depth 40, growth 12,
/// batch 128, Fashion-MNIST shapes, MPELU, Fixup-Dense) through HyperSwarm vs the same network
/// and step in PyTorch eager (bench/peers/densenet_step.py), same threads, in fresh process
/// pairs with interleaved rounds. Figure: <c>throughput_ratio_vs_pytorch</c> (target ≥ 1.0).
/// Also <c>stn_step_ratio</c> (target ≤ 1.6) and <c>stn_cycle_ratio</c>, see <see cref="StnStepComparison"/>.
/// </summary>
public sealed class TrainerBenchmark : IBenchmark
{
    /// <summary>Batch size, on both sides.</summary>
    public const int Batch = 128;

    /// <summary>DenseNet-BC depth.</summary>
    public const int Depth = 40;

    /// <summary>Growth rate.</summary>
    public const int Growth = 12;

    /// <inheritdoc />
    public string Name => "trainer";

    /// <inheritdoc />
    public string Description => "DenseNet-BC-40 training-step throughput vs the same network in PyTorch eager.";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var inv = CultureInfo.InvariantCulture;
        var pairs = options.Quick ? 1 : 3;
        var rounds = options.Quick ? 1 : 3;
        var threads = options.Threads.ToString(inv);

        var device = options.Device;
        var onGpu = device != "cpu";
        await log.WriteLineAsync($"trainer: DenseNet-BC-{Depth} k={Growth}, batch {Batch}, {device}, {options.Threads} thread(s), {pairs} process pairs × {rounds} rounds").ConfigureAwait(false);
        var result = await ProcessPairs.CompareAsync(pairs, rounds, 1,
            ct => ProcessPairs.StartSelfAsync(["bench-peer", "trainer-step", "--threads", threads, "--device", device], ct),
            ct => InterleavedPeer.StartAsync(options.PythonPath,
                [PeerProcess.PeerPath("densenet_step.py"), "--threads", threads, "--depth", Depth.ToString(inv),
                 "--growth", Growth.ToString(inv), "--batch", Batch.ToString(inv), "--warmup", onGpu ? "5" : "1", "--device", device], ct),
            log, cancellationToken).ConfigureAwait(false);

        var figures = new Dictionary<string, double>
        {
            ["throughput_ratio_vs_pytorch"] = result.Ratio,
            ["csharp_images_per_s"] = result.Ours,
            ["pytorch_images_per_s"] = result.Theirs,
        };

        // The allocator comparison is about glibc's host malloc and the STN step ratio is
        // measured on the CPU: both belong to the CPU run only.
        if (!onGpu)
        {
            await log.WriteLineAsync("trainer: again, PyTorch given HyperSwarm's allocator settings").ConfigureAwait(false);
            var same = await ProcessPairs.CompareAsync(options.Quick ? 1 : 2, rounds, 1,
                ct => ProcessPairs.StartSelfAsync(["bench-peer", "trainer-step", "--threads", threads], ct),
                ct => InterleavedPeer.StartAsync(options.PythonPath,
                    [PeerProcess.PeerPath("densenet_step.py"), "--threads", threads, "--depth", Depth.ToString(inv),
                     "--growth", Growth.ToString(inv), "--batch", Batch.ToString(inv), "--warmup", "1"], ct,
                    environment: PeerAllocator.SameAsHyperSwarm),
                log, cancellationToken).ConfigureAwait(false);

            await log.WriteLineAsync("trainer: STN weight step vs plain step, one process, alternating").ConfigureAwait(false);
            using var torch = await TorchThread.StartAsync(options.Threads, "bench-torch").ConfigureAwait(false);
            var (stepRatio, cycleRatio) = await torch.InvokeAsync(() =>
            {
                using var comparison = new StnStepComparison(Batch, new DenseNetOptions { Depth = Depth, GrowthRate = Growth });
                return comparison.Measure(options.Quick ? 1 : 3);
            }).ConfigureAwait(false);
            figures["throughput_ratio_vs_pytorch_same_allocator"] = same.Ratio;
            figures["stn_step_ratio"] = stepRatio;
            figures["stn_cycle_ratio"] = cycleRatio;
        }

        return new BenchReport(Name,
            [
                new("DenseNet-BC-40 train step", "HyperSwarm (C#)", result.Ours, "images/s"),
                new("DenseNet-BC-40 train step", "PyTorch eager", result.Theirs, "images/s"),
            ],
            figures,
            new Dictionary<string, string>
            {
                ["device"] = device,
                ["threads"] = threads,
                ["pairs"] = pairs.ToString(inv),
                ["rounds"] = rounds.ToString(inv),
                ["pair_ratios"] = string.Join(" ", result.PairRatios.Select(r => r.ToString("F3", inv))),
                ["model"] = $"densenet-bc depth {Depth} growth {Growth} mpelu fixup",
                ["batch"] = Batch.ToString(inv),
            });
    }
}
