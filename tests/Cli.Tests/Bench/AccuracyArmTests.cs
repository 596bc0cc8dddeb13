using HyperSwarm.Bench.Accuracy;

namespace HyperSwarm.Cli.Tests.Bench;

public sealed class AccuracyArmTests
{
    [Fact]
    public void Stn_off_is_zero_config_with_self_tuning_off_and_only_the_optimizers_are_baselines()
    {
        var arms = AccuracyArm.All.ToDictionary(a => a.Name);

        Assert.Equal(["zero-config", "stn-off", "adam", "sgd-one-cycle"], AccuracyArm.All.Select(a => a.Name));
        Assert.Empty(arms["zero-config"].Overrides);
        // Nothing else changes: the hyperparameters stay at zero-config's starting values.
        Assert.Equal(["stn.enabled=false"], arms["stn-off"].Overrides);
        Assert.Equal(["adam", "sgd-one-cycle"], AccuracyArm.All.Where(a => a.IsBaseline).Select(a => a.Name));

        var args = arms["stn-off"].Arguments(TimeSpan.FromMinutes(5), 2, "/tmp/runs", "/data");
        Assert.Equal(["train", "--budget", "300s", "--threads", "2", "--runs", "/tmp/runs", "--json", "--data", "/data", "--set", "stn.enabled=false"], args);
    }
}
