using System.Diagnostics;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.Bench.Scaling;

/// <summary>
/// The machine's own two-thread scaling, as a yardstick for the members': the bare DenseNet-BC-16
/// training step (<see cref="ClassifierStepRig"/>: fixed batch, no data loading, no STN, no
/// optimizer state) on two torch threads of one libtorch thread each, alone and together. What
/// this loses is the hardware's (shared caches and memory bandwidth); what the members lose
/// beyond it is ours.
/// </summary>
internal static class BareStepScaling
{
    /// <summary>Median over <paramref name="pairs"/> interleaved pairs of steps/s(2) / (2 × steps/s(1)).</summary>
    public static async Task<double> MeasureAsync(int steps, int pairs, CancellationToken cancellationToken)
    {
        var threads = new[] { await TorchThread.StartAsync(1, "bench-bare-0").ConfigureAwait(false), await TorchThread.StartAsync(1, "bench-bare-1").ConfigureAwait(false) };
        var rigs = new ClassifierStepRig[threads.Length];
        try
        {
            for (var i = 0; i < threads.Length; i++)
            {
                rigs[i] = await threads[i].InvokeAsync(() => new ClassifierStepRig(
                    () => new DenseNetBC(new DenseNetOptions { Depth = 16, GrowthRate = 12 }), 128, [1, 28, 28], warmupSteps: 2)).ConfigureAwait(false);
            }

            var efficiencies = new List<double>();
            for (var pair = 0; pair < pairs; pair++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var solo = pair % threads.Length;
                double one, two;
                if (pair % 2 == 0)
                {
                    one = await RateAsync([solo], threads, rigs, steps).ConfigureAwait(false);
                    two = await RateAsync([0, 1], threads, rigs, steps).ConfigureAwait(false);
                }
                else
                {
                    two = await RateAsync([0, 1], threads, rigs, steps).ConfigureAwait(false);
                    one = await RateAsync([solo], threads, rigs, steps).ConfigureAwait(false);
                }

                efficiencies.Add(two / (2 * one));
            }

            return Interleaved.Median(efficiencies);
        }
        finally
        {
            for (var i = 0; i < threads.Length; i++)
            {
                var rig = rigs[i];
                if (rig is not null) await threads[i].InvokeAsync(() => { rig.Dispose(); return true; }).ConfigureAwait(false);
                threads[i].Dispose();
            }
        }
    }

    private static async Task<double> RateAsync(int[] which, Protocol.Threading.DedicatedThreadScheduler[] threads, ClassifierStepRig[] rigs, int steps)
    {
        var start = Stopwatch.GetTimestamp();
        var finished = await Task.WhenAll(which.Select(i => threads[i].InvokeAsync(() =>
        {
            var times = new long[steps];
            for (var s = 0; s < steps; s++)
            {
                rigs[i].Measure(1);
                times[s] = Stopwatch.GetTimestamp();
            }

            return times;
        }))).ConfigureAwait(false);
        return ConcurrentRate.Of(start, finished);
    }
}
