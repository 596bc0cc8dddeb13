using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;
using static HyperSwarm.GpuActors.Tests.Support.OptimizerHarness;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>SGD with momentum, Nesterov and weight decay against PyTorch's update written out by hand.</summary>
public sealed class SgdTests
{
    private static readonly double[] Start = [1, -2, 0.5];
    private static readonly double[] Grad1 = [0.1, 0.2, -0.3];
    private static readonly double[] Grad2 = [-0.05, 0.4, 0.1];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_momentum_steps_with_weight_decay_equal_the_hand_computed_values(bool nesterov)
    {
        // Arrange
        const double lr = 0.1, mu = 0.9, wd = 0.01;
        using var p = Leaf(Start);
        using var sgd = new Sgd([("p", p)], lr, mu, nesterov, wd);
        var expected = (double[])Start.Clone();
        var buffer = new double[3];

        // Act
        StepWith(sgd, p, Grad1);
        StepWith(sgd, p, Grad2);

        // Assert: d = g + wd·p; b = μ·b + d; p −= lr·(d + μ·b) (Nesterov) or lr·b.
        foreach (var g in new[] { Grad1, Grad2 })
        {
            for (var e = 0; e < 3; e++)
            {
                var d = g[e] + wd * expected[e];
                buffer[e] = mu * buffer[e] + d;
                expected[e] -= lr * (nesterov ? d + mu * buffer[e] : buffer[e]);
            }
        }

        AssertAllEqual(expected, p.ToArray<double>(), 12);
        AssertAllEqual(buffer, sgd.State["p.momentum_buffer"].ToArray<double>(), 12);
    }

    [Fact]
    public void A_restored_state_gives_the_same_next_update_as_the_original_optimizer()
    {
        // Arrange: three steps on a, then b takes a's values and exported state.
        using var a = Leaf(Start);
        using var b = Leaf(Start);
        using var fresh = Leaf(Start);
        using var original = new Sgd([("w", a)], 0.1, momentum: 0.9, nesterov: true);
        using var restored = new Sgd([("w", b)], 0.1, momentum: 0.9, nesterov: true);
        using var unrestored = new Sgd([("w", fresh)], 0.1, momentum: 0.9, nesterov: true);
        foreach (var g in new[] { Grad1, Grad2, Grad1 }) StepWith(original, a, g);
        using (NoGrad.Enter())
        {
            b.CopyFrom(a);
            fresh.CopyFrom(a);
        }

        var saved = CopyState(original);

        // Act
        restored.LoadState(saved);
        StepWith(original, a, Grad2);
        StepWith(restored, b, Grad2);
        StepWith(unrestored, fresh, Grad2);

        // Assert
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        Assert.Equal(4, restored.StepCount);
        Assert.NotEqual(a.ToArray<double>(), fresh.ToArray<double>()); // the momentum mattered
        foreach (var t in saved.Values) t.Dispose();
    }

    [Fact]
    public void Fifty_steps_leave_LiveTensors_flat()
    {
        Torch.Torch.ManualSeed(6);
        var before = Torch.Torch.LiveTensors;
        using (var net = new TinyConvFcn())
        using (var sgd = new Sgd(net.NamedParameters(), 0.05, momentum: 0.9, weightDecay: 1e-4))
        {
            var afterSetup = Torch.Torch.LiveTensors;
            for (var step = 0; step < 50; step++)
            {
                net.Backward();
                sgd.Step();
                Assert.Equal(afterSetup, Torch.Torch.LiveTensors);
            }
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }
}
