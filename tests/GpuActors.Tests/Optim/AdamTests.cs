using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;
using static HyperSwarm.GpuActors.Tests.Support.OptimizerHarness;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>Adam against the bias-corrected update written out by hand.</summary>
public sealed class AdamTests
{
    private static readonly double[] Start = [1, -2, 0.5];
    private static readonly double[] Grad1 = [0.1, 0.2, -0.3];
    private static readonly double[] Grad2 = [-0.05, 0.4, 0.1];

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Two_steps_equal_the_hand_computed_bias_corrected_values(double weightDecay)
    {
        // Arrange
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        using var p = Leaf(Start);
        using var adam = new Adam([("p", p)], lr, b1, b2, eps, weightDecay);
        var expected = (double[])Start.Clone();
        var (m, v) = (new double[3], new double[3]);

        // Act
        StepWith(adam, p, Grad1);
        StepWith(adam, p, Grad2);

        // Assert: d = g + wd·p; m, v moving averages; p −= lr·m̂/(√v̂ + ε).
        var t = 0;
        foreach (var g in new[] { Grad1, Grad2 })
        {
            t++;
            for (var e = 0; e < 3; e++)
            {
                var d = g[e] + weightDecay * expected[e];
                m[e] = b1 * m[e] + (1 - b1) * d;
                v[e] = b2 * v[e] + (1 - b2) * d * d;
                var mHat = m[e] / (1 - Math.Pow(b1, t));
                var vHat = v[e] / (1 - Math.Pow(b2, t));
                expected[e] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }

        AssertAllEqual(expected, p.ToArray<double>(), 12);
        AssertAllEqual(m, adam.State["p.exp_avg"].ToArray<double>(), 12);
        AssertAllEqual(v, adam.State["p.exp_avg_sq"].ToArray<double>(), 12);
    }

    [Fact]
    public void The_hyperparameter_optimizer_is_Adam_at_lr_3e_3_whose_first_step_moves_each_entry_by_lr()
    {
        // Arrange: λ̃ and s as plain tensors, gradients of very different sizes.
        using var lambda = Leaf(0.5, -1);
        using var scale = Leaf(0.2);
        using var adam = Adam.ForHyperparameters([("lambda", lambda), ("scale", scale)]);
        using (var grad = Tensor.FromArray(new[] { 1e-4, -30.0 })) lambda.SetGrad(grad);
        using (var grad = Tensor.FromArray(new[] { 2.0 })) scale.SetGrad(grad);

        // Act
        adam.Step();

        // Assert: bias-corrected first step = lr·sign(g), whatever |g|.
        Assert.Equal(3e-3, adam.LearningRate);
        AssertAllEqual([0.5 - 3e-3, -1 + 3e-3], lambda.ToArray<double>(), 6);
        AssertAllEqual([0.2 - 3e-3], scale.ToArray<double>(), 6);
    }

    [Fact]
    public void A_restored_state_gives_the_same_next_update_as_the_original_optimizer()
    {
        // Arrange
        using var a = Leaf(Start);
        using var b = Leaf(Start);
        using var original = new Adam([("w", a)], 0.01);
        using var restored = new Adam([("w", b)], 0.01);
        foreach (var g in new[] { Grad1, Grad2, Grad1 }) StepWith(original, a, g);
        using (NoGrad.Enter()) b.CopyFrom(a);
        var saved = CopyState(original);

        // Act
        restored.LoadState(saved);
        StepWith(original, a, Grad2);
        StepWith(restored, b, Grad2);

        // Assert: same values, moments and bias-correction step.
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        Assert.Equal(original.State["w.exp_avg_sq"].ToArray<double>(), restored.State["w.exp_avg_sq"].ToArray<double>());
        Assert.Equal(4, restored.StepCount);
        foreach (var t in saved.Values) t.Dispose();
    }

    [Fact]
    public void Fifty_steps_leave_LiveTensors_flat()
    {
        Torch.Torch.ManualSeed(8);
        var before = Torch.Torch.LiveTensors;
        using (var net = new TinyConvFcn())
        using (var adam = new Adam(net.NamedParameters(), weightDecay: 1e-4))
        {
            var afterSetup = Torch.Torch.LiveTensors;
            for (var step = 0; step < 50; step++)
            {
                net.Backward();
                adam.Step();
                Assert.Equal(afterSetup, Torch.Torch.LiveTensors);
            }
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }
}
