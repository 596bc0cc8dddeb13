using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>AGD's cooldown: a multiplier on the step that a run with a known end lowers to 0 over its last stretch.</summary>
public sealed class AgdCoolingTests
{
    [Theory]
    [InlineData(0.3)]
    [InlineData(0.0)]
    public void A_cooled_step_moves_every_tensor_by_that_share_of_the_full_step_and_eta_stays_automatic(double cooling)
    {
        // Arrange: the same gradients stepped from the same weights, once in full and once cooled.
        Torch.Torch.ManualSeed(11);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        var start = ParameterSnapshot.Values(parameters);
        using var agd = new Agd(parameters); // no momentum: the step depends on nothing but the gradients
        net.Backward();
        var grads = parameters.Select(p => AgdTests.GradOf(p.Parameter)).ToList();
        agd.Step();
        var fullEta = agd.LastStepSize;
        var full = ParameterSnapshot.Deltas(ParameterSnapshot.Values(parameters), start);
        ParameterSnapshot.Restore(parameters, start, grads);

        // Act
        agd.Cooling = cooling;
        agd.Step();

        // Assert
        Assert.Equal(fullEta, agd.LastStepSize, 12);
        var cooled = ParameterSnapshot.Deltas(ParameterSnapshot.Values(parameters), start);
        for (var k = 0; k < full.Count; k++)
        {
            for (var e = 0; e < full[k].Length; e++) Assert.Equal(cooling * full[k][e], cooled[k][e], 5);
        }
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void A_cooling_multiplier_outside_zero_to_one_is_refused(double cooling)
    {
        using var net = new TinyConvFcn();
        using var agd = new Agd(net.NamedParameters());

        Assert.Throws<ArgumentOutOfRangeException>(() => agd.Cooling = cooling);
        Assert.Equal(1, agd.Cooling);
    }

    [Theory]
    [InlineData(0.0, 0.5, 1.0)]   // not started
    [InlineData(0.5, 0.5, 1.0)]   // the cooldown begins
    [InlineData(0.75, 0.5, 0.5)]  // half way down
    [InlineData(0.9, 0.2, 0.5)]
    [InlineData(1.0, 0.5, 0.0)]   // the end
    [InlineData(0.99, 0.0, 1.0)]  // cooldown 0: never
    public void The_multiplier_is_one_until_the_last_share_of_the_run_then_falls_linearly_to_zero(double progress, double cooldown, double expected)
    {
        Assert.Equal(expected, WeightOptimizer.Cooling(progress, cooldown), 12);
    }
}
