using HyperSwarm.GpuActors.Optim;
using static HyperSwarm.GpuActors.Tests.Support.OptimizerHarness;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>The one-cycle schedule against PyTorch's OneCycleLR.</summary>
public sealed class OneCycleScheduleTests
{
    // Values read from Debian's PyTorch (1.13) once, with:
    // /usr/bin/python3 -c 'import torch; p=torch.nn.Parameter(torch.zeros(1));
    //   o=torch.optim.SGD([p], lr=0.1, momentum=0.9);
    //   s=torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=100)
    //   then for k in range(100): record o.param_groups[0]["lr"], ["momentum"]; o.step(); s.step()'
    [Theory]
    [InlineData(0, 0.0040000000000000036, 0.95)]
    [InlineData(1, 0.004281378056590748, 0.9497068978577179)]
    [InlineData(10, 0.029516394846410082, 0.9234204220349895)]
    [InlineData(29, 0.1, 0.85)]
    [InlineData(30, 0.09994965352845243, 0.8500503466729342)]
    [InlineData(31, 0.09979871550490317, 0.850201285300238)]
    [InlineData(50, 0.0793893450575732, 0.8706107373853763)]
    [InlineData(75, 0.026306861650082565, 0.9236934331236499)]
    [InlineData(98, 5.07464715475788e-05, 0.9499496533270657)]
    [InlineData(99, 4e-07, 0.95)]
    public void Learning_rate_and_momentum_match_PyTorch_OneCycleLR_with_default_settings(long step, double lr, double momentum)
    {
        var schedule = new OneCycleSchedule(MaxLearningRate: 0.1, TotalSteps: 100);

        Assert.Equal(lr, schedule.LearningRate(step), 12);
        Assert.Equal(momentum, schedule.Momentum(step), 12);
    }

    [Fact]
    public void Apply_sets_the_optimizers_rate_and_momentum_for_the_step()
    {
        // Arrange
        var schedule = new OneCycleSchedule(0.1, 100);
        using var p = Leaf(1.0);
        using var sgd = new Sgd([("p", p)], learningRate: 1);
        using var adam = new Adam([("p", p)]);

        // Act
        schedule.Apply(sgd, 10);
        schedule.Apply(adam, 50);

        // Assert
        Assert.Equal(0.029516394846410082, sgd.LearningRate, 12);
        Assert.Equal(0.9234204220349895, sgd.Momentum, 12);
        Assert.Equal(0.0793893450575732, adam.LearningRate, 12);
        Assert.Equal(0.8706107373853763, adam.Beta1, 12);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100)]
    public void A_step_outside_the_cycle_is_refused(long step)
    {
        var schedule = new OneCycleSchedule(0.1, 100);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.LearningRate(step));
        Assert.Contains("steps 0 to 99", error.Message, StringComparison.Ordinal);
    }
}
