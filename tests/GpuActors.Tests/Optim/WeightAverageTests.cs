using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>The weight average: its decay, its values against a hand-kept average, and the swap.</summary>
public sealed class WeightAverageTests
{
    [Theory]
    [InlineData(1, 0.9)]          // the first step nearly copies the live weights
    [InlineData(11, 9.0 / 20)]
    [InlineData(100_000, 0.01)]   // warmed up: 1/horizon
    public void The_weight_of_a_step_warms_up_to_one_over_the_horizon(long step, double expected)
    {
        Torch.Torch.ManualSeed(0);
        using var net = new TinyConvFcn();
        using var average = new WeightAverage(net.NamedParameters(), horizon: 100);

        Assert.Equal(expected, average.Weight(step), 12);
    }

    [Fact]
    public void Updates_match_a_hand_kept_exponential_average_of_the_live_weights()
    {
        // Arrange
        Torch.Torch.ManualSeed(3);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        using var agd = new Agd(parameters);
        using var average = new WeightAverage(parameters, horizon: 4);
        var expected = parameters.Select(p => p.Parameter.Value.ToArray<float>().Select(v => (double)v).ToArray()).ToList();

        // Act: five AGD steps, averaging after each
        for (var step = 1; step <= 5; step++)
        {
            net.Backward();
            agd.Step();
            average.Update(step);
            var w = average.Weight(step);
            for (var k = 0; k < parameters.Count; k++)
            {
                var live = parameters[k].Parameter.Value.ToArray<float>();
                for (var e = 0; e < live.Length; e++) expected[k][e] += w * (live[e] - expected[k][e]);
            }
        }

        // Assert
        var state = average.State.ToList();
        Assert.Equal(parameters.Select(p => p.Name), state.Select(s => s.Name));
        for (var k = 0; k < parameters.Count; k++)
        {
            var actual = state[k].Value.ToArray<float>();
            for (var e = 0; e < actual.Length; e++) Assert.Equal(expected[k][e], actual[e], 5);
        }
    }

    [Fact]
    public void Swapping_in_shows_the_average_and_swapping_out_restores_the_live_weights_bit_for_bit_without_leaking()
    {
        // Arrange
        Torch.Torch.ManualSeed(5);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        using var agd = new Agd(parameters);
        using var average = new WeightAverage(parameters, horizon: 2);
        for (var step = 1; step <= 3; step++)
        {
            net.Backward();
            agd.Step();
            average.Update(step);
        }

        var live = ParameterSnapshot.Values(parameters);
        var averaged = average.State.Select(s => s.Value.ToArray<float>()).ToList();
        Assert.NotEqual(live[0], averaged[0]); // the test means something only if they differ
        var tensorsBefore = Torch.Torch.LiveTensors;

        // Act + Assert
        using (average.SwapIn())
        {
            for (var k = 0; k < parameters.Count; k++) Assert.Equal(averaged[k], parameters[k].Parameter.Value.ToArray<float>());
            Assert.Throws<InvalidOperationException>(() => average.Update(4));
            Assert.True(parameters.All(p => p.Parameter.Value.RequiresGrad));
        }

        for (var k = 0; k < parameters.Count; k++) Assert.Equal(live[k], parameters[k].Parameter.Value.ToArray<float>());
        Assert.Equal(tensorsBefore, Torch.Torch.LiveTensors);
    }
}
