using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>AGD with a gradient average: m ← β·m + (1 − β)·∇, and the step uses m̂ = m/(1 − βᵗ).</summary>
public sealed class AgdMomentumTests
{
    private const double Beta = 0.8;

    [Fact]
    public void Two_steps_equal_plain_AGD_applied_to_the_bias_corrected_average_by_hand()
    {
        // Arrange
        Torch.Torch.ManualSeed(5);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        using var agd = new Agd(parameters, momentum: Beta);
        net.Backward();
        var g1 = parameters.Select(p => AgdTests.GradOf(p.Parameter)).ToList();
        var expected1 = AgdTests.HandComputedStep(parameters, ParameterSnapshot.Values(parameters), g1, out var eta1); // m̂₁ = ∇₁

        // Act 1
        agd.Step();

        // Assert 1
        Assert.Equal(eta1, agd.LastStepSize, 6);
        AssertValues(expected1, parameters);

        // Arrange 2: m₂ = β(1 − β)∇₁ + (1 − β)∇₂, m̂₂ = m₂/(1 − β²)
        net.Backward();
        var g2 = parameters.Select(p => AgdTests.GradOf(p.Parameter)).ToList();
        var average = g1.Zip(g2, (a, b) => a.Zip(b, (x, y) => (float)((Beta * (1 - Beta) * x + (1 - Beta) * y) / (1 - Beta * Beta))).ToArray()).ToList();
        var expected2 = AgdTests.HandComputedStep(parameters, ParameterSnapshot.Values(parameters), average, out var eta2);

        // Act 2
        agd.Step();

        // Assert 2
        Assert.Equal(eta2, agd.LastStepSize, 5);
        AssertValues(expected2, parameters);
    }

    [Fact]
    public void Gradients_that_cancel_shrink_the_step_where_plain_AGD_keeps_it()
    {
        // Arrange: the same gradient, then its negative (pure noise around a zero mean).
        Torch.Torch.ManualSeed(6);
        using var averaged = new TinyConvFcn();
        using var plain = new TinyConvFcn();
        var averagedParameters = averaged.NamedParameters().ToList();
        var plainParameters = plain.NamedParameters().ToList();
        using var withMomentum = new Agd(averagedParameters, momentum: 0.9);
        using var without = new Agd(plainParameters);

        // Act
        foreach (var sign in new[] { 1f, -1f })
        {
            SetGrads(averagedParameters, sign);
            SetGrads(plainParameters, sign);
            withMomentum.Step();
            without.Step();
        }

        // Assert: m̂₂ = (0.09 − 0.1)∇/0.19 ≈ −0.053∇, so G is about 19× smaller.
        Assert.Equal(without.LastGradientSummary * 0.01 / 0.19, withMomentum.LastGradientSummary, 4);
        Assert.True(withMomentum.LastStepSize < without.LastStepSize / 5, // η = log((1 + √(1 + 4G))/2) is sublinear in G
            $"η with momentum {withMomentum.LastStepSize} should be far below plain η {without.LastStepSize}");
    }

    [Fact]
    public void The_average_is_saved_state_and_a_restored_optimizer_takes_the_same_next_step()
    {
        // Arrange: two identical nets; the second optimizer starts from the first's state after 3 steps.
        Torch.Torch.ManualSeed(7);
        using var first = new TinyConvFcn();
        using var second = new TinyConvFcn();
        var a = first.NamedParameters().ToList();
        var b = second.NamedParameters().ToList();
        AgdInit.Apply(a);
        using var agdA = new Agd(a, momentum: Beta);
        for (var i = 0; i < 3; i++)
        {
            first.Backward();
            agdA.Step();
        }

        using (NoGrad.Enter())
        {
            for (var k = 0; k < a.Count; k++) b[k].Parameter.Value.CopyFrom(a[k].Parameter.Value);
        }

        using var agdB = new Agd(b, momentum: Beta);
        Assert.Contains("conv.weight.gradient_average", agdA.State.Keys);
        agdB.LoadState(agdA.State);

        // Act: the same batch for both
        Torch.Torch.ManualSeed(8);
        first.Backward();
        Torch.Torch.ManualSeed(8);
        second.Backward();
        agdA.Step();
        agdB.Step();

        // Assert
        Assert.Equal(agdA.LastStepSize, agdB.LastStepSize);
        for (var k = 0; k < a.Count; k++) Assert.Equal(a[k].Parameter.Value.ToArray<float>(), b[k].Parameter.Value.ToArray<float>());
    }

    [Fact]
    public void A_momentum_outside_zero_to_one_is_refused_and_zero_keeps_no_state()
    {
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Agd(parameters, momentum: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Agd(parameters, momentum: -0.1));
        using var plain = new Agd(parameters);
        Assert.Equal(new[] { Optimizer.StepKey }, plain.State.Keys);
    }

    private static void AssertValues(List<double[]> expected, List<(string Name, Parameter Parameter)> parameters)
    {
        for (var k = 0; k < parameters.Count; k++)
        {
            var actual = parameters[k].Parameter.Value.ToArray<float>();
            for (var e = 0; e < actual.Length; e++) Assert.Equal(expected[k][e], actual[e], 5);
        }
    }

    // Every tensor's gradient := sign · (0.1, 0.2, …) cycling, the same for both nets.
    private static void SetGrads(List<(string Name, Parameter Parameter)> parameters, float sign)
    {
        foreach (var (_, p) in parameters)
        {
            var count = (int)p.Shape.Aggregate(1L, (x, y) => x * y);
            var values = Enumerable.Range(0, count).Select(i => sign * 0.1f * (1 + i % 7)).ToArray();
            using var grad = Tensor.FromArray<float>(values, p.Shape);
            p.Value.SetGrad(grad);
        }
    }
}
