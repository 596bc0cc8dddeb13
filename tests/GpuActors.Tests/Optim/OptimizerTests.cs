using HyperSwarm.GpuActors.Optim;
using HyperSwarm.Torch;
using static HyperSwarm.GpuActors.Tests.Support.OptimizerHarness;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>What every optimizer shares: gradient handling, the step counter and state loading (through Sgd).</summary>
public sealed class OptimizerTests
{
    [Fact]
    public void A_step_updates_tensors_with_gradients_skips_the_others_and_clears_gradients()
    {
        // Arrange
        using var used = Leaf(1, 2);
        using var unused = Leaf(3);
        using var sgd = new Sgd([("used", used), ("unused", unused)], learningRate: 0.5);
        using (var grad = Tensor.FromArray(new[] { 1.0, -1.0 })) used.SetGrad(grad);

        // Act
        sgd.Step();

        // Assert
        Assert.Equal([0.5, 2.5], used.ToArray<double>());
        Assert.Equal([3.0], unused.ToArray<double>());
        Assert.Null(used.Grad);
        Assert.Equal(1, sgd.StepCount);
        Assert.Equal(1, sgd.State[Optimizer.StepKey].ToInt64());
    }

    [Fact]
    public void ZeroGrad_drops_gradients_without_moving_anything()
    {
        using var p = Leaf(1, 2);
        using var sgd = new Sgd([("p", p)], learningRate: 0.5);
        using (var grad = Tensor.FromArray(new[] { 1.0, 1.0 })) p.SetGrad(grad);

        sgd.ZeroGrad();

        Assert.Null(p.Grad);
        Assert.Equal([1.0, 2.0], p.ToArray<double>());
        Assert.Equal(0, sgd.StepCount);
    }

    [Fact]
    public void Two_tensors_with_one_name_are_refused()
    {
        using var a = Leaf(1);
        using var b = Leaf(2);

        var error = Assert.Throws<ArgumentException>(() => new Sgd([("w", a), ("w", b)], 0.1));
        Assert.Contains("'w' appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_state_with_a_missing_an_unknown_or_a_misshapen_entry_names_the_entry()
    {
        // Arrange
        using var p = Leaf(1, 2);
        using var sgd = new Sgd([("p", p)], 0.1, momentum: 0.9);
        using var step = Torch.Torch.Zeros([], DType.Int64);
        using var good = Torch.Torch.Zeros([2], DType.Float64);
        using var bad = Torch.Torch.Zeros([3], DType.Float64);

        // Act
        var missing = Assert.Throws<ArgumentException>(() => sgd.LoadState(new Dictionary<string, Tensor> { ["step"] = step }));
        var unknown = Assert.Throws<ArgumentException>(() =>
            sgd.LoadState(new Dictionary<string, Tensor> { ["step"] = step, ["p.momentum_buffer"] = good, ["q.momentum_buffer"] = good }));
        var misshapen = Assert.Throws<ArgumentException>(() =>
            sgd.LoadState(new Dictionary<string, Tensor> { ["step"] = step, ["p.momentum_buffer"] = bad }));

        // Assert
        Assert.Contains("no entry 'p.momentum_buffer'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("unknown entry 'q.momentum_buffer'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'p.momentum_buffer' has shape [3], expected [2]", misshapen.Message, StringComparison.Ordinal);
    }
}
