using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>AGD's decoupled weight decay: weights shrink by λ times AGD's own relative step before it is taken.</summary>
public sealed class AgdWeightDecayTests
{
    [Fact]
    public void A_decayed_step_shrinks_every_weight_by_lambda_times_the_step_and_leaves_biases_to_the_plain_step()
    {
        // Arrange: the same gradients stepped from the same weights, once plain and once with decay.
        const double lambda = 3.0;
        Torch.Torch.ManualSeed(13);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        var start = ParameterSnapshot.Values(parameters);
        net.Backward();
        var grads = parameters.Select(p => AgdTests.GradOf(p.Parameter)).ToList();
        List<double[]> plainDelta;
        using (var plain = new Agd(parameters))
        {
            plain.Step();
            plainDelta = ParameterSnapshot.Deltas(ParameterSnapshot.Values(parameters), start);
        }

        ParameterSnapshot.Restore(parameters, start, grads);
        using var decayed = new Agd(parameters, weightDecay: lambda);

        // Act
        decayed.Step();

        // Assert: step = gain·η/L with gain 1; the decay acts on the weights as they were before the step.
        var shrink = 1 - lambda * decayed.LastStepSize / decayed.Depth;
        Assert.InRange(shrink, 0.5, 0.999); // the case is not degenerate
        for (var k = 0; k < parameters.Count; k++)
        {
            var isWeight = parameters[k].Parameter.Role is ParameterRole.Weight or ParameterRole.HyperWeight;
            var actual = parameters[k].Parameter.Value.ToArray<float>();
            for (var e = 0; e < actual.Length; e++)
            {
                var expected = (isWeight ? shrink * start[k][e] : start[k][e]) + plainDelta[k][e];
                Assert.Equal(expected, actual[e], 5);
            }
        }
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    public void A_negative_or_NaN_decay_is_refused(double lambda)
    {
        using var net = new TinyConvFcn();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Agd(net.NamedParameters(), weightDecay: lambda));

        Assert.Equal("weightDecay", error.ParamName);
    }
}
