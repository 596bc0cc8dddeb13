using HyperSwarm.GpuActors.Worker;
using System.Diagnostics;
using System.Globalization;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Binding;

/// <summary>
/// <c>hyperswarm bench binding</c>: the cost of the C# → libtorch boundary.
/// <list type="bullet">
/// <item><c>op_overhead_us</c>: per-op time of a 16-element add from C#, minus the same loop in
/// a C++ program against libtorch directly (bench/peers/cpp). Target ≤ 1.0.</item>
/// <item><c>step_ratio_vs_pytorch</c>: images/s of one training step of the same conv net
/// (batch 128, same threads) through the binding, divided by PyTorch eager
/// (bench/peers/binding_step.py), median over fresh process pairs of interleaved rounds.
/// Target ≥ 1.0. Also <c>step_ratio_vs_pytorch_same_allocator</c>: the same against a peer
/// given HyperSwarm's glibc settings, i.e. the binding alone.</item>
/// </list>
/// </summary>
public sealed class BindingBenchmark : IBenchmark
{
    /// <summary>Batch size of the step, on both sides.</summary>
    public const int Batch = 128;

    /// <inheritdoc />
    public string Name => "binding";

    /// <inheritdoc />
    public string Description => "Native call overhead vs C++ libtorch, and a conv-net training step vs PyTorch eager.";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var inv = CultureInfo.InvariantCulture;
        var addIters = options.Quick ? 20_000 : 200_000;
        var pairs = options.Quick ? 1 : 5;
        var rounds = options.Quick ? 2 : 6;
        var steps = options.Quick ? 2 : 10;

        using var torch = await TorchThread.StartAsync(options.Threads, "bench-torch").ConfigureAwait(false);
        await log.WriteLineAsync($"binding: add16 x{addIters} from C#").ConfigureAwait(false);
        // Same-process noise is small here; the C# loop runs on the bench's own torch thread.
        var csharpNs = await torch.InvokeAsync(() => MeasureAddNs(addIters, options.Quick ? 2 : 5)).ConfigureAwait(false);
        await log.WriteLineAsync("binding: add16 from C++ (building the peer if needed)").ConfigureAwait(false);
        // Three peer processes: a single process may land in a slow or fast mode (see ProcessPairs).
        var cppRuns = new List<double>();
        for (var i = 0; i < (options.Quick ? 1 : 3); i++)
        {
            var cpp = await CppPeer.RunAsync(options.Threads, addIters, cancellationToken).ConfigureAwait(false);
            cppRuns.Add(cpp.GetProperty("ns_per_op_median").GetDouble());
        }

        var cppNs = Interleaved.Median(cppRuns);

        await log.WriteLineAsync($"binding: conv-net step, batch {Batch}, {options.Threads} thread(s), {pairs} process pairs × {rounds} interleaved rounds of {steps} steps").ConfigureAwait(false);
        var threads = options.Threads.ToString(inv);
        var result = await ProcessPairs.CompareAsync(pairs, rounds, steps,
            ct => ProcessPairs.StartSelfAsync(["bench-peer", "binding-step", "--threads", threads], ct),
            ct => InterleavedPeer.StartAsync(options.PythonPath, [PeerProcess.PeerPath("binding_step.py"), "--threads", threads, "--batch", Batch.ToString(inv), "--warmup", "5"], ct),
            log, cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync("binding: again, PyTorch given HyperSwarm's allocator settings").ConfigureAwait(false);
        var same = await ProcessPairs.CompareAsync(options.Quick ? 1 : 3, rounds, steps,
            ct => ProcessPairs.StartSelfAsync(["bench-peer", "binding-step", "--threads", threads], ct),
            ct => InterleavedPeer.StartAsync(options.PythonPath, [PeerProcess.PeerPath("binding_step.py"), "--threads", threads, "--batch", Batch.ToString(inv), "--warmup", "5"], ct,
                environment: PeerAllocator.SameAsHyperSwarm),
            log, cancellationToken).ConfigureAwait(false);
        var (ours, theirs, ratio) = (result.Ours, result.Theirs, result.Ratio);
        return new BenchReport(Name,
                [
                    new("add 16 floats", "HyperSwarm (C#)", csharpNs / 1000, "µs/op"),
                    new("add 16 floats", "libtorch (C++)", cppNs / 1000, "µs/op"),
                    new("conv-net train step", "HyperSwarm (C#)", ours, "images/s"),
                    new("conv-net train step", "PyTorch eager", theirs, "images/s"),
                ],
                new Dictionary<string, double>
                {
                    ["op_overhead_us"] = (csharpNs - cppNs) / 1000,
                    ["step_ratio_vs_pytorch"] = ratio,
                    ["step_ratio_vs_pytorch_same_allocator"] = same.Ratio,
                    ["csharp_add_us"] = csharpNs / 1000,
                    ["cpp_add_us"] = cppNs / 1000,
                    ["csharp_images_per_s"] = ours,
                    ["pytorch_images_per_s"] = theirs,
                },
                new Dictionary<string, string>
                {
                    ["threads"] = options.Threads.ToString(inv),
                    ["pairs"] = pairs.ToString(inv),
                    ["rounds"] = rounds.ToString(inv),
                    ["pair_ratios"] = string.Join(" ", result.PairRatios.Select(r => r.ToString("F3", inv))),
                    ["pair_ratios_same_allocator"] = string.Join(" ", same.PairRatios.Select(r => r.ToString("F3", inv))),
                    ["host_allocator_tuned"] = Torch.Torch.HostAllocatorTuned ? "yes" : "no",
                    ["libtorch"] = Torch.Torch.Version,
                });
    }

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

        return Interleaved.Median(samples);
    }
}
