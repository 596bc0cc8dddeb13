using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;
using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.GpuActors.Tests.Models;

public sealed class MpeluTests
{
    private static readonly float[] Inputs = [-2.5f, -1f, -0.3f, 0f, 0.4f, 3f];

    [Fact]
    public void Values_follow_the_definition()
    {
        using var scope = TensorScope.Begin();
        using var act = new Mpelu(2, alpha: 0.5, beta: 2.0);
        var y = Tensor.FromArray<float>(Inputs, [1, 2, 3]);           // channel 0: −2.5, −1, −0.3; channel 1: 0, 0.4, 3
        var f = act.Forward(y).ToArray<float>();
        for (var i = 0; i < Inputs.Length; i++)
        {
            var v = Inputs[i];
            var expected = v > 0 ? v : 0.5 * (Math.Exp(2.0 * v) - 1);
            Assert.Equal(expected, f[i], 6);
        }
    }

    [Fact]
    public void Alpha_zero_is_relu_and_alpha_beta_one_is_elu()
    {
        using var scope = TensorScope.Begin();
        using var relu = new Mpelu(1, alpha: 0, beta: 1);
        using var elu = new Mpelu(1, alpha: 1, beta: 1);
        var y = Tensor.FromArray<float>(Inputs, [6, 1]);
        Assert.Equal(y.Relu().ToArray<float>(), relu.Forward(y).ToArray<float>());
        Tensors.Close(Tensors.Values(Functional.Elu(y)), Tensors.Values(elu.Forward(y)), 1e-6);
    }

    [Fact]
    public void Gradients_match_the_closed_form_derivatives()
    {
        // ALGORITHMS §3.1: for y ≤ 0, ∂f/∂y = β(f + α), ∂f/∂α = e^{βy} − 1, ∂f/∂β = y(f + α); for y > 0: 1, 0, 0.
        using var scope = TensorScope.Begin();
        const double a = 0.7, b = 1.3;
        using var act = new Mpelu(1, a, b);
        var y = Tensor.FromArray<float>(Inputs, [6, 1]);
        y.RequiresGrad = true;
        var grads = Autograd.Grad([act.Forward(y).Sum()], [y, act.Alpha.Value, act.Beta.Value]);
        var dy = grads[0]!.ToArray<float>();
        double dAlpha = 0, dBeta = 0;
        for (var i = 0; i < Inputs.Length; i++)
        {
            double v = Inputs[i];
            var f = v > 0 ? v : a * (Math.Exp(b * v) - 1);
            Assert.Equal(v > 0 ? 1 : b * (f + a), dy[i], 5);
            if (v <= 0)
            {
                dAlpha += Math.Exp(b * v) - 1;
                dBeta += v * (f + a);
            }
        }

        Assert.Equal(dAlpha, grads[1]!.ToArray<float>()[0], 5);
        Assert.Equal(dBeta, grads[2]!.ToArray<float>()[0], 5);
    }

    [Fact]
    public void Taylor_std_reduces_to_he_for_relu()
    {
        Assert.Equal(Math.Sqrt(2.0 / 100), Mpelu.TaylorStd(100, 0, 1), 12);
        Assert.Equal(Math.Sqrt(2.0 / (100 * 1.25)), Mpelu.TaylorStd(100, 0.5, 1), 12);
    }

    [Fact]
    public void Alpha_and_beta_are_held_to_their_legal_range_so_very_negative_inputs_stay_finite()
    {
        // An optimizer can walk β below zero; e^{β·y} must not overflow for y ≪ 0.
        using var act = new Mpelu(2);
        using (NoGrad.Enter())
        {
            act.Alpha.Value.CopyFrom<float>([-0.5f, 0.25f]);
            act.Beta.Value.CopyFrom<float>([1f, -0.5f]);
        }

        using var scope = TensorScope.Begin();
        var y = Tensor.FromArray<float>([-500f, -500f, -1f, -1f], [2, 2]);            // (B, C)
        var f = act.Forward(y).ToArray<float>();
        Assert.All(f, v => Assert.True(float.IsFinite(v), $"{v}"));
        Assert.Equal(0f, f[0]);                                                      // α clamped to 0: ReLU
        Assert.Equal(0.25 * (Math.Exp(Mpelu.MinBeta * -1) - 1), f[3], 5);            // β clamped to MinBeta
    }
}
