using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Models;

public sealed class DenseNetBCTests
{
    [Fact]
    public void Fixup_dense_init_keeps_the_activation_scale_within_a_factor_two_at_every_transition()
    {
        Torch.Torch.ManualSeed(0);
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 40, GrowthRate = 12 });
        using var scope = TensorScope.Begin();
        var stds = new List<double>();
        net.TransitionObserver = (_, x) => stds.Add(x.Var([]).Sqrt().ToDouble());
        using (NoGrad.Enter())
        {
            var images = Torch.Torch.Randn([16, 1, 28, 28]);
            var stem = net.Stem.Forward(images);
            stds.Insert(0, stem.Var([]).Sqrt().ToDouble());
            net.Forward(images);
        }

        Assert.Equal(3, stds.Count);
        for (var t = 1; t < stds.Count; t++)
        {
            var ratio = stds[t] / stds[t - 1];
            Assert.True(ratio is > 0.5 and < 2.0, $"transition {t}: activation std {stds[t - 1]:F3} → {stds[t]:F3} (×{ratio:F2})");
        }
    }

    [Fact]
    public void A_fixup_network_starts_with_zero_logits()
    {
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 10 });
        using var scope = TensorScope.Begin();
        var logits = net.Forward(Torch.Torch.Randn([2, 1, 28, 28]));
        Assert.Equal([2L, 10L], logits.Shape);
        Assert.All(logits.ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Parameters_carry_dotted_names_and_roles()
    {
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 40 });
        var named = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);

        Assert.Equal(ParameterRole.Weight, named["block2.layer5.conv2.weight"].Role);
        Assert.Equal([12L, 48, 3, 3], named["block2.layer5.conv2.weight"].Shape);
        Assert.Equal(ParameterRole.MpeluAlpha, named["block1.layer1.act1.alpha"].Role);
        Assert.Equal(ParameterRole.Scalar, named["block3.layer6.scale.scale"].Role);
        Assert.Equal(ParameterRole.Bias, named["fc.bias"].Role);
        Assert.Equal(named.Count, net.NamedParameters().Select(p => p.Name).Distinct().Count());
    }

    [Theory]
    [InlineData(1, new[] { "block1", "block2", "block3", "fc" })]
    [InlineData(2, new[] { "block2", "block3", "fc" })]
    [InlineData(3, new[] { "block3", "fc" })]
    public void Hyper_layers_start_at_the_first_hyper_block_and_the_classifier_always_is_one(int first, string[] expected)
    {
        var input = new HyperSwarm.GpuActors.Stn.HyperInput(3);
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 16, FirstHyperBlock = first }, input);

        var gated = net.NamedParameters().Where(p => p.Parameter.Role == ParameterRole.HyperGate).Select(p => p.Name.Split('.')[0]).Distinct();

        Assert.Equal(expected, gated.Order());
        Assert.Throws<ArgumentException>(() => new DenseNetOptions { FirstHyperBlock = 4 }.Validate());
    }

    [Fact]
    public void DenseNet_BC_100_k12_on_cifar_has_about_0_8_million_parameters()
    {
        // ALGORITHMS §5 table: DenseNet-BC L=100, k=12 has 0.8 M parameters (ours adds MPELU α, β and Fixup scalars).
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 100, GrowthRate = 12, InChannels = 3, Norm = NormKind.Batch });
        var count = net.ParameterCount();
        Assert.InRange(count, 750_000, 850_000);
    }

    [Theory]
    [InlineData(NormKind.None, 0.2)]
    [InlineData(NormKind.Batch, 0.1)]
    public void A_small_network_fits_a_fixed_batch(NormKind norm, double lr)
    {
        Torch.Torch.ManualSeed(1);
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 16, GrowthRate = 12, Norm = norm });
        using var x = Torch.Torch.Randn([8, 1, 12, 12]);
        using var y = Torch.Torch.RandInt(0, 10, [8]);
        var parameters = net.Parameters().ToArray();
        double first = 0, last = 0;
        for (var step = 0; step < 200; step++)
        {
            using var scope = TensorScope.Begin();
            var loss = Functional.CrossEntropy(net.Forward(x), y);
            loss.Backward();
            using (NoGrad.Enter())
            {
                foreach (var p in parameters)
                {
                    using var g = p.Value.Grad;
                    if (g is not null) p.Value.AddInPlace(g, -lr);
                    p.Value.SetGrad(null);
                }
            }

            last = loss.ToDouble();
            if (step == 0) first = last;
        }

        Assert.True(last < first * 0.1, $"{norm}: loss {first:F3} → {last:F3}");
    }

    [Fact]
    public void Training_steps_leave_no_tensor_behind()
    {
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 10, GrowthRate = 4 });
        using var x = Torch.Torch.Randn([4, 1, 8, 8]);
        using var y = Torch.Torch.RandInt(0, 10, [4]);
        var before = Torch.Torch.LiveTensors;
        for (var i = 0; i < 5; i++)
        {
            using var scope = TensorScope.Begin();
            Functional.CrossEntropy(net.Forward(x), y).Backward();
            foreach (var p in net.Parameters()) p.Value.SetGrad(null);
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }

    [Theory]
    [InlineData(39)]
    [InlineData(4)]
    public void Impossible_depths_are_refused_with_one_sentence(int depth)
    {
        var e = Assert.Throws<ArgumentException>(() => new DenseNetBC(new DenseNetOptions { Depth = depth }));
        Assert.Contains("6n + 4", e.Message, StringComparison.Ordinal);
    }
}
