using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;
using HyperSwarm.Torch.Tests.Support;
using static HyperSwarm.Torch.Tests.Support.Tensors;

namespace HyperSwarm.GpuActors.Tests.Stn;

public sealed class HyperConv2dTests
{
    [Fact]
    public void Output_equals_the_formula_per_output_channel()
    {
        using var scope = TensorScope.Begin();
        Torch.Torch.ManualSeed(5);
        using var layer = new HyperConv2d(2, 3, 3, hyperparameters: 2, padding: 1);
        using (NoGrad.Enter()) layer.Gate.Value.NormalInPlace();
        var x = Torch.Torch.Randn([2, 2, 5, 5]);
        var h = Torch.Torch.Randn([2, 2]);

        var y = layer.Forward(x, h);

        // Reference from the same pieces, channel by channel: conv_e + (Vh)_c·conv_h + (Ch)_c·b_h.
        var elem = Functional.Conv2d(x, layer.Elementary.Weight.Value, layer.Elementary.Bias!.Value, padding: 1).ToArray<float>();
        var hyper = Functional.Conv2d(x, layer.Hyper.Weight.Value, null, padding: 1).ToArray<float>();
        var gates = Functional.Linear(h, layer.Gate.Value).ToArray<float>();   // (2, 6)
        var bh = layer.Hyper.Bias!.Value.ToArray<float>();
        var got = y.ToArray<float>();
        for (var b = 0; b < 2; b++)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var p = 0; p < 25; p++)
                {
                    var i = ((b * 3) + c) * 25 + p;
                    var expected = elem[i] + gates[b * 6 + c] * hyper[i] + gates[b * 6 + 3 + c] * bh[c];
                    Assert.Equal(expected, got[i], 4);
                }
            }
        }
    }

    [Fact]
    public void Gradients_pass_a_finite_difference_check()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Run("hyper_conv2d", t => HyperConv2d.Apply(t[0], t[1], t[2], t[3], t[4], t[5], t[6], stride: 1, padding: 1),
            [Wavy(1, 2, 2, 4, 4), Wavy(2, 2, 3), Wavy(3, 3, 2, 3, 3), Wavy(4, 3), Wavy(5, 3, 2, 3, 3), Wavy(6, 3), Wavy(7, 6, 3)]);
    }
}
