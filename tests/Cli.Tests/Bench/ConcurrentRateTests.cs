using System.Diagnostics;
using HyperSwarm.Bench.Scaling;

namespace HyperSwarm.Cli.Tests.Bench;

public sealed class ConcurrentRateTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void One_thread_is_its_steps_over_its_time() =>
        Assert.Equal(4.0, ConcurrentRate.Of(0, [Seconds(0.25, 0.5, 0.75, 1.0)]), precision: 9);

    [Fact]
    public void The_tail_after_the_first_thread_finished_does_not_count()
    {
        // The second thread is twice as slow: by the time the first is done (1 s) it has taken
        // 2 steps; its remaining 2 steps, alone on the machine, are left out.
        var rate = ConcurrentRate.Of(0, [Seconds(0.25, 0.5, 0.75, 1.0), Seconds(0.5, 1.0, 1.5, 2.0)]);

        Assert.Equal(4.0 + 2.0, rate, precision: 9);
    }

    [Fact]
    public void Steps_count_in_whole_groups()
    {
        // Groups of 2 (a weight-step cycle): the slow thread's 3 steps by 1 s count as 2, at 0.8 s.
        var rate = ConcurrentRate.Of(0, [Seconds(0.25, 0.5, 0.75, 1.0), Seconds(0.4, 0.8, 1.0, 1.6)], group: 2);

        Assert.Equal(4.0 + 2 / 0.8, rate, precision: 9);
    }

    private static long[] Seconds(params double[] times) => times.Select(t => (long)(t * Second)).ToArray();
}
