using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Bench.Scaling;

/// <summary>
/// <c>hyperswarm bench scaling</c>: population throughput in member-steps/s (weight steps, with
/// the STN's hyper steps in between) with one and with two in-process workers, each worker one
/// member slot: a real member (DenseNet-BC-16, batch 128, Fashion-MNIST, self-tuning, AGD) on a
/// torch thread of its own with one libtorch thread. Both members are built and warmed up
/// first; then each pair of rounds measures one member alone and both together for the same
/// number of steps (alternating which comes first), so machine noise hits both sides; two
/// members count while both train (<see cref="ConcurrentRate"/>). Figure:
/// <c>scaling_efficiency</c> = steps/s(2) / (2 × steps/s(1)), median over pairs (target ≥ 0.9,
/// DESIGN.md §6, on a machine with at least two cores). <c>bare_step_efficiency</c> is the same
/// ratio for a bare training step (<see cref="BareStepScaling"/>): the machine's own ceiling,
/// so <c>scaling_vs_bare_step</c> near 1 means the members lose nothing beyond the hardware.
/// </summary>
public sealed class ScalingBenchmark : IBenchmark
{
    /// <summary>Weight steps per measured round when none is given.</summary>
    public const int DefaultSteps = 30;

    private const int Workers = 2;
    private const int TorchThreadsPerWorker = 1;
    private static readonly StnConfig Stn = new() { WarmupSteps = 10 };

    /// <inheritdoc />
    public string Name => "scaling";

    /// <inheritdoc />
    public string Description => "Member-steps/s with 1 and 2 in-process workers (one member, one libtorch thread each); efficiency = s2 / (2 × s1).";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var inv = CultureInfo.InvariantCulture;
        var steps = RoundSteps(options.Steps ?? (options.Quick ? 10 : DefaultSteps));
        var pairs = options.Quick ? 1 : 3;
        var dataPath = options.DataPath ?? DataConfig.DefaultPath;
        var loadBefore = LoadAverage();
        await log.WriteLineAsync($"scaling: DenseNet-BC-16 k=12, batch 128, self-tuning; {Workers} workers × {TorchThreadsPerWorker} libtorch thread; {steps} steps per round, {pairs} pairs; {Environment.ProcessorCount} cores, load {loadBefore}").ConfigureAwait(false);
        if (Environment.ProcessorCount < Workers)
        {
            await log.WriteLineAsync($"scaling: only {Environment.ProcessorCount} core(s): two workers cannot both run at full speed, so the efficiency says little").ConfigureAwait(false);
        }

        var members = new List<GatedMember>();
        try
        {
            for (var i = 0; i < Workers; i++)
            {
                members.Add(await GatedMember.StartAsync(Config(dataPath, seed: i + 1), TorchThreadsPerWorker, $"bench-worker-{i}").ConfigureAwait(false));
            }

            // Past the STN warm-up and two full cycles, so hyper steps and their buffers are warm too.
            await Task.WhenAll(members.Select(m => m.StepsAsync(RoundSteps(Stn.WarmupSteps + 2 * Stn.TrainSteps)))).ConfigureAwait(false);

            var one = new List<double>();
            var two = new List<double>();
            var efficiencies = new List<double>();
            for (var pair = 0; pair < pairs; pair++)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The member measured alone alternates too, in case one landed on a slower core.
                var solo = members[pair % Workers];
                double s1, s2;
                if (pair % 2 == 0)
                {
                    s1 = await MeasureAsync([solo], steps).ConfigureAwait(false);
                    s2 = await MeasureAsync(members, steps).ConfigureAwait(false);
                }
                else
                {
                    s2 = await MeasureAsync(members, steps).ConfigureAwait(false);
                    s1 = await MeasureAsync([solo], steps).ConfigureAwait(false);
                }

                one.Add(s1);
                two.Add(s2);
                efficiencies.Add(s2 / (Workers * s1));
                await log.WriteLineAsync(string.Create(inv, $"  pair {pair + 1}: 1 worker {s1:F2} steps/s, 2 workers {s2:F2} steps/s, efficiency {s2 / (Workers * s1):F3}")).ConfigureAwait(false);
            }

            var (median1, median2, efficiency) = (Interleaved.Median(one), Interleaved.Median(two), Interleaved.Median(efficiencies));
            await log.WriteLineAsync("scaling: the machine's own yardstick, a bare DenseNet-BC-16 step on 1 and 2 threads").ConfigureAwait(false);
            var bare = await BareStepScaling.MeasureAsync(options.Quick ? 4 : 16, pairs, cancellationToken).ConfigureAwait(false);
            await log.WriteLineAsync(string.Create(inv, $"  bare step efficiency {bare:F3}")).ConfigureAwait(false);
            return new BenchReport(Name,
                [
                    new("member-steps/s", "1 worker", median1, "steps/s"),
                    new("member-steps/s", "2 workers", median2, "steps/s"),
                ],
                new Dictionary<string, double>
                {
                    ["steps_per_s_1"] = median1,
                    ["steps_per_s_2"] = median2,
                    ["scaling_efficiency"] = efficiency,
                    ["bare_step_efficiency"] = bare,
                    ["scaling_vs_bare_step"] = efficiency / bare,
                },
                new Dictionary<string, string>
                {
                    ["pair_efficiencies"] = string.Join(" ", efficiencies.Select(e => e.ToString("F3", inv))),
                    ["steps_per_round"] = steps.ToString(inv),
                    ["pairs"] = pairs.ToString(inv),
                    ["torch_threads_per_worker"] = TorchThreadsPerWorker.ToString(inv),
                    ["cores"] = Environment.ProcessorCount.ToString(inv),
                    ["load_before"] = loadBefore,
                    ["load_after"] = LoadAverage(),
                    ["gc"] = GCSettings.IsServerGC ? "server" : "workstation",
                    ["model"] = "densenet-bc depth 16 growth 12 mpelu fixup, stn, agd, batch 128",
                    ["data"] = dataPath,
                });
        }
        finally
        {
            foreach (var member in members) await member.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Member-steps/s of these members each taking `steps` weight steps from one common start,
    // counted while all of them train (ConcurrentRate), in whole STN cycles.
    private static async Task<double> MeasureAsync(IReadOnlyList<GatedMember> members, int steps)
    {
        var start = Stopwatch.GetTimestamp();
        var finished = await Task.WhenAll(members.Select(m => m.StepsAsync(steps))).ConfigureAwait(false);
        return ConcurrentRate.Of(start, finished, Stn.TrainSteps);
    }

    // Whole STN cycles (T_train weight steps, then T_val hyper steps), so every round holds the
    // same mix of weight and hyper steps.
    private static int RoundSteps(int steps) => Math.Max(1, (steps + Stn.TrainSteps - 1) / Stn.TrainSteps) * Stn.TrainSteps;

    private static TrainConfig Config(string dataPath, int seed) => new()
    {
        Seed = seed,
        Budget = null,
        MaxSteps = int.MaxValue,
        Data = new DataConfig { Path = dataPath },
        Stn = Stn,

        // Nothing but training steps inside the measured rounds: no evaluations, metric lines or checkpoints.
        Reporting = new ReportingConfig { LogEverySteps = int.MaxValue, EvalEverySteps = int.MaxValue, CheckpointEverySteps = int.MaxValue },
    };

    // The 1-, 5- and 15-minute load averages, so a report says how busy the machine was.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
