using System.Diagnostics;

namespace HyperSwarm.Bench.Scaling;

/// <summary>
/// Steps/s of several threads that started together, counted only while all of them were still
/// stepping. A population has no barrier: the tail where the faster one waits for the slower
/// (idle in a measured round, busy in a real run) would measure the harness, not the workers.
/// </summary>
internal static class ConcurrentRate
{
    /// <summary>
    /// The sum of each thread's rate up to the moment the first of them finished, each counted in
    /// whole groups of <paramref name="group"/> steps (a self-tuning member's T_train weight steps
    /// and the hyper step that goes with them).
    /// </summary>
    /// <param name="start">The <see cref="Stopwatch"/> timestamp all started at.</param>
    /// <param name="finished">Per thread, the timestamp each of its steps finished at, in order.</param>
    /// <param name="group">Steps that belong together.</param>
    public static double Of(long start, IReadOnlyList<long[]> finished, int group = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(group, 1);
        var allRunning = finished.Min(f => f[^1]);
        var rate = 0.0;
        foreach (var times in finished)
        {
            var taken = times.Count(t => t <= allRunning);
            taken = Math.Max(group, taken - taken % group);
            rate += taken / Stopwatch.GetElapsedTime(start, times[taken - 1]).TotalSeconds;
        }

        return rate;
    }
}
