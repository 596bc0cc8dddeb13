using HyperSwarm.Bench.Accuracy;

namespace HyperSwarm.Cli.Tests.Bench;

public sealed class EquilibrationBenchmarkTests
{
    [Fact]
    public void A_schedule_is_one_point_per_hyper_step_with_the_mean_block_dropout_and_the_cutout_length()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hs-equilibration-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllLines(path,
            [
                """{"hyper_step":1,"weight_step":220,"values":{"dropout.block1":0.1,"dropout.block2":0.2,"dropout.block3":0.3,"augment.cutout_length":8}}""",
                "",
                """{"hyper_step":2,"weight_step":240,"values":{"dropout.block1":0.3,"dropout.block2":0.3,"dropout.block3":0.6,"augment.cutout_length":7}}""",
            ]);

            var schedule = EquilibrationBenchmark.Schedule(path);

            Assert.Equal(2, schedule.Count);
            Assert.Equal((220.0, 0.2, 8.0), (schedule[0].Step, Math.Round(schedule[0].Dropout, 12), schedule[0].Cutout));
            Assert.Equal((240.0, 0.4, 7.0), (schedule[1].Step, Math.Round(schedule[1].Dropout, 12), schedule[1].Cutout));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_arms_sweep_dropout_at_the_default_cutout_and_cutout_at_the_default_dropout()
    {
        var arms = EquilibrationBenchmark.Arms;

        Assert.Equal([0.01, 0.1, 0.3], arms.Where(a => a.Cutout == 1).Select(a => a.Dropout));
        Assert.Equal([1.0, 8.0], arms.Where(a => a.Dropout == 0.01).Select(a => a.Cutout));
        Assert.Equal("default", arms[0].Name);
    }
}
