using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

public sealed class HyperparameterTransformTests
{
    [Theory]
    [InlineData(HyperparameterKind.Bounded, 0, 0.8, 0.3)]
    [InlineData(HyperparameterKind.LowerBounded, 0.5, double.PositiveInfinity, 3)]
    [InlineData(HyperparameterKind.UpperBounded, double.NegativeInfinity, 1, -4)]
    [InlineData(HyperparameterKind.LowerBounded, 0, double.PositiveInfinity, 40)] // past softplus's linear switch
    public void Unconstrain_inverts_constrain(HyperparameterKind kind, double lower, double upper, double value)
    {
        var unconstrained = HyperparameterTransform.Unconstrain(kind, lower, upper, value);

        Assert.Equal(value, HyperparameterTransform.Constrain(kind, lower, upper, unconstrained), 9);
    }

    [Fact]
    public void A_discrete_value_maps_to_the_centre_of_its_bin()
    {
        // [0, 16] spans 17 bins of (0, 17); 8 is the bin [8, 9), centre 8.5, so sigmoid(λ̃) = 0.5.
        Assert.Equal(0, HyperparameterTransform.Unconstrain(HyperparameterKind.Discrete, 0, 16, 8), 12);
        Assert.Equal(16, HyperparameterTransform.Constrain(HyperparameterKind.Discrete, 0, 16, 50));
    }

    [Theory]
    [InlineData(HyperparameterKind.Bounded, 0, 1, -5, 1e-6)]
    [InlineData(HyperparameterKind.Bounded, 0, 1, 7, 1 - 1e-6)]
    [InlineData(HyperparameterKind.Discrete, 0, 16, 16.4, 16)]
    [InlineData(HyperparameterKind.Discrete, 0, 16, 2.5, 3)]
    [InlineData(HyperparameterKind.Discrete, 0, 16, -2, 0)]
    [InlineData(HyperparameterKind.LowerBounded, 2, double.PositiveInfinity, 1, 2 + 2e-6)]
    [InlineData(HyperparameterKind.UpperBounded, double.NegativeInfinity, 0, 3, -1e-6)]
    public void Clamp_keeps_values_where_the_unconstrained_value_is_finite(HyperparameterKind kind, double lower, double upper, double value, double expected)
    {
        var clamped = HyperparameterTransform.Clamp(kind, lower, upper, value);

        Assert.Equal(expected, clamped, 12);
        Assert.True(double.IsFinite(HyperparameterTransform.Unconstrain(kind, lower, upper, clamped)));
    }
}
