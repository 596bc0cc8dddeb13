using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;
using HyperSwarm.Torch.Tests.Support;
using static HyperSwarm.Torch.Tests.Support.Tensors;

namespace HyperSwarm.GpuActors.Tests.Stn;

public sealed class HyperLinearTests
{
    [Fact]
    public void Output_equals_the_formula_computed_by_hand()
    {
        using var scope = TensorScope.Begin();
        Torch.Torch.ManualSeed(4);
        using var layer = new HyperLinear(3, 2, hyperparameters: 2);
        using (NoGrad.Enter()) layer.Gate.Value.NormalInPlace();
        var x = Torch.Torch.Randn([4, 3]);
        var h = Torch.Torch.Randn([4, 2]);

        var y = layer.Forward(x, h).ToArray<float>();

        var xs = x.ToArray<float>(); var hs = h.ToArray<float>();
        var we = layer.Elementary.Weight.Value.ToArray<float>(); var be = layer.Elementary.Bias!.Value.ToArray<float>();
        var wh = layer.Hyper.Weight.Value.ToArray<float>(); var bh = layer.Hyper.Bias!.Value.ToArray<float>();
        var g = layer.Gate.Value.ToArray<float>();                   // (4, 2): rows 0..1 = V, rows 2..3 = C
        for (var b = 0; b < 4; b++)
        {
            for (var o = 0; o < 2; o++)
            {
                double elem = be[o], hyper = 0, v = 0, c = 0;
                for (var i = 0; i < 3; i++)
                {
                    elem += we[o * 3 + i] * xs[b * 3 + i];
                    hyper += wh[o * 3 + i] * xs[b * 3 + i];
                }

                for (var j = 0; j < 2; j++)
                {
                    v += g[o * 2 + j] * hs[b * 2 + j];
                    c += g[(2 + o) * 2 + j] * hs[b * 2 + j];
                }

                Assert.Equal(elem + v * hyper + c * bh[o], y[b * 2 + o], 5);
            }
        }
    }

    [Fact]
    public void Zero_gates_make_the_layer_ignore_the_hyperparameters()
    {
        using var scope = TensorScope.Begin();
        using var layer = new HyperLinear(5, 3, hyperparameters: 4);
        var x = Torch.Torch.Randn([2, 5]);
        var y1 = layer.Forward(x, Torch.Torch.Randn([2, 4])).ToArray<float>();
        var y2 = layer.Forward(x, Torch.Torch.Randn([2, 4])).ToArray<float>();
        Assert.Equal(layer.Elementary.Forward(x).ToArray<float>(), y1);
        Assert.Equal(y1, y2);
    }

    [Fact]
    public void Gradients_pass_a_finite_difference_check()
    {
        using var scope = TensorScope.Begin();
        GradCheck.Run("hyper_linear", t => HyperLinear.Apply(t[0], t[1], t[2], t[3], t[4], t[5], t[6]),
            [Wavy(1, 3, 4), Wavy(2, 3, 2), Wavy(3, 5, 4), Wavy(4, 5), Wavy(5, 5, 4), Wavy(6, 5), Wavy(7, 10, 2)]);
    }
}
