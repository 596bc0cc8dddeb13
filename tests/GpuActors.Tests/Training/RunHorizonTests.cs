using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

public sealed class RunHorizonTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 6, 12, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Progress_is_the_runs_share_of_its_budget_spent_clamped_to_0_and_1()
    {
        var horizon = new RunHorizon(TimeSpan.FromMinutes(15), End);

        Assert.Equal(0, horizon.Progress(End.AddMinutes(-20)));
        Assert.Equal(0, horizon.Progress(End.AddMinutes(-15)));
        Assert.Equal(0.6, horizon.Progress(End.AddMinutes(-6)), 12);
        Assert.Equal(1, horizon.Progress(End));
        Assert.Equal(1, horizon.Progress(End.AddMinutes(3)));
    }

    [Fact]
    public void A_member_with_a_horizon_needs_no_limit_of_its_own_and_one_without_does()
    {
        var member = new TrainConfig { Budget = null, Horizon = new RunHorizon(TimeSpan.FromMinutes(15), End) };
        member.Validate();

        var endless = member with { Horizon = null };
        Assert.Contains("never ends", Assert.Throws<ArgumentException>(endless.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGD_cools_down_over_the_last_share_of_the_runs_horizon()
    {
        var horizon = new RunHorizon(TimeSpan.FromMinutes(10), End);
        // A cooldown of 0.2: full steps until 8 of 10 minutes, half at 9, none at the end.
        Assert.Equal(1, WeightOptimizer.Cooling(horizon.Progress(End.AddMinutes(-3)), 0.2));
        Assert.Equal(0.5, WeightOptimizer.Cooling(horizon.Progress(End.AddMinutes(-1)), 0.2), 12);
        Assert.Equal(0, WeightOptimizer.Cooling(horizon.Progress(End), 0.2));
    }
}
