using HyperSwarm.GpuActors.Optim;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Support;

/// <summary>Small helpers for driving optimizers with chosen gradients.</summary>
internal static class OptimizerHarness
{
    /// <summary>A float64 leaf that requires grad, holding <paramref name="values"/> (the caller owns it).</summary>
    public static Tensor Leaf(params double[] values)
    {
        var t = Tensor.FromArray(values).Escape();
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Gives <paramref name="tensor"/> the gradient <paramref name="grad"/> and steps <paramref name="optimizer"/>.</summary>
    public static void StepWith(Optimizer optimizer, Tensor tensor, params double[] grad)
    {
        using (var g = Tensor.FromArray(grad)) tensor.SetGrad(g);
        optimizer.Step();
    }

    /// <summary>Copies every state tensor, so the copies outlive the optimizer (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> CopyState(Optimizer optimizer) =>
        optimizer.State.ToDictionary(kv => kv.Key, kv => kv.Value.Clone().Escape(), StringComparer.Ordinal);

    /// <summary>Element-wise <c>Assert.Equal(double, double, precision)</c> for equal-length arrays.</summary>
    public static void AssertAllEqual(double[] expected, double[] actual, int precision)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var e = 0; e < expected.Length; e++) Assert.Equal(expected[e], actual[e], precision);
    }
}
