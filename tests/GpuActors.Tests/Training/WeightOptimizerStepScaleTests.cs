using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

/// <summary>
/// The step scale a divergence recovery halves: it multiplies whatever the schedule sets, for
/// every optimizer kind, and nothing outside (0, 1] is taken.
/// </summary>
public sealed class WeightOptimizerStepScaleTests
{
    [Theory]
    [InlineData("agd", 0.75)]
    [InlineData("sgd", 0.2)]
    [InlineData("sgd", 0.6)]
    [InlineData("adam", 0.0)]
    [InlineData("adam", 0.9)]
    public void A_scale_multiplies_the_scheduled_step(string kind, double progress)
    {
        using var model = new SmallCnn();
        using var full = new WeightOptimizer(new OptimizerConfig { Kind = kind }, model, "small-cnn");
        using var halved = new WeightOptimizer(new OptimizerConfig { Kind = kind }, model, "small-cnn");

        full.Schedule(progress);
        halved.Schedule(progress, 0.5);

        Assert.Equal(0.5 * Step(full), Step(halved), 12);
        Assert.True(Step(full) > 0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_scale_outside_zero_to_one_is_refused(double scale)
    {
        using var model = new SmallCnn();
        using var optimizer = new WeightOptimizer(new OptimizerConfig { Kind = "agd" }, model, "small-cnn");

        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Schedule(0.9, scale));
    }

    // AGD's multiplier on its automatic step (the cooldown's 0.5 at progress 0.75), or the rate.
    private static double Step(WeightOptimizer optimizer) => optimizer.Optimizer switch
    {
        Agd agd => agd.Cooling,
        _ => optimizer.LearningRate!.Value,
    };
}
