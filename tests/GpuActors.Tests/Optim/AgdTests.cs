using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>AGD's step against ALGORITHMS §2.2–2.3 computed by hand in double precision.</summary>
public sealed class AgdTests
{
    [Fact]
    public void One_step_equals_the_hand_computed_update_on_a_conv_and_a_tiny_FCN_with_biases()
    {
        // Arrange
        Torch.Torch.ManualSeed(1);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        net.Backward();
        var before = ParameterSnapshot.Values(parameters);
        var grads = parameters.Select(p => GradOf(p.Parameter)).ToList();
        var expected = HandComputedStep(parameters, before, grads, out var expectedEta);
        using var agd = new Agd(parameters);

        // Act
        agd.Step();

        // Assert
        Assert.Equal(4, agd.Depth); // the conv and three dense weights; biases do not count
        Assert.Equal(expectedEta, agd.LastStepSize, 6);
        for (var k = 0; k < parameters.Count; k++)
        {
            var actual = parameters[k].Parameter.Value.ToArray<float>();
            for (var e = 0; e < actual.Length; e++) Assert.Equal(expected[k][e], actual[e], 5);
            Assert.Null(parameters[k].Parameter.Value.Grad); // cleared
        }
    }

    [Fact]
    public void A_slice_or_a_whole_tensor_with_zero_gradient_does_not_move_and_nothing_becomes_NaN()
    {
        // Arrange: conv slice (1, 2) and the whole middle weight and first bias get zero gradients.
        Torch.Torch.ManualSeed(2);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        net.Backward();
        var conv = parameters.Single(p => p.Name == "conv.weight").Parameter;
        var hidden = parameters.Single(p => p.Name == "fcn.layer1.weight").Parameter;
        var bias = parameters.Single(p => p.Name == "fcn.layer0.bias").Parameter;
        var convGrad = GradOf(conv);
        for (var e = 1 * 3 + 2; e < convGrad.Length; e += 9) convGrad[e] = 0; // (o, i, 1, 2) for every o, i
        using (var grad = Tensor.FromArray<float>(convGrad, conv.Shape)) conv.Value.SetGrad(grad);
        using (var grad = Torch.Torch.Zeros(hidden.Shape)) hidden.Value.SetGrad(grad);
        using (var grad = Torch.Torch.Zeros(bias.Shape)) bias.Value.SetGrad(grad);
        var convBefore = conv.Value.ToArray<float>();
        var hiddenBefore = hidden.Value.ToArray<float>();
        var biasBefore = bias.Value.ToArray<float>();
        using var agd = new Agd(parameters);

        // Act
        agd.Step();

        // Assert
        var convAfter = conv.Value.ToArray<float>();
        for (var e = 0; e < convAfter.Length; e++)
        {
            if (e % 9 == 5) Assert.Equal(convBefore[e], convAfter[e]);
            else Assert.NotEqual(convBefore[e], convAfter[e]);
        }

        Assert.Equal(hiddenBefore, hidden.Value.ToArray<float>());
        Assert.Equal(biasBefore, bias.Value.ToArray<float>());
        Assert.All(parameters, p => Assert.All(p.Parameter.Value.ToArray<float>(), v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void All_zero_gradients_give_a_zero_step_size_and_leave_every_tensor_as_it_was()
    {
        // Arrange
        Torch.Torch.ManualSeed(3);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        foreach (var (_, p) in parameters) using (var grad = Torch.Torch.Zeros(p.Shape)) p.Value.SetGrad(grad);
        var before = ParameterSnapshot.Values(parameters);
        using var agd = new Agd(parameters);

        // Act
        agd.Step();

        // Assert
        Assert.Equal(0, agd.LastStepSize);
        for (var k = 0; k < parameters.Count; k++) Assert.Equal(before[k], parameters[k].Parameter.Value.ToArray<float>());
    }

    [Fact]
    public void The_scale_is_sqrt_out_over_in_divided_by_sqrt_of_the_kernel_area()
    {
        Assert.Equal(Math.Sqrt(64.0 / 16), Agd.WeightScale("w", [64, 16]), 12);
        Assert.Equal(Math.Sqrt(32.0 / 8) / 3, Agd.WeightScale("w", [32, 8, 3, 3]), 12);
        Assert.Equal(Math.Sqrt(0.5), Agd.WeightScale("w", [12, 24, 1, 1]), 12);
        var error = Assert.Throws<ArgumentException>(() => Agd.WeightScale("block.w", [5]));
        Assert.Contains("'block.w'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_without_weights_or_a_non_positive_gain_is_refused()
    {
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        Assert.Throws<ArgumentException>(() => new Agd(parameters.Where(p => p.Parameter.Role == ParameterRole.Bias)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Agd(parameters, gain: 0));
    }

    [Fact]
    public void Fifty_steps_leave_LiveTensors_flat()
    {
        Torch.Torch.ManualSeed(4);
        var before = Torch.Torch.LiveTensors;
        using (var net = new TinyConvFcn())
        {
            var parameters = net.NamedParameters().ToList();
            AgdInit.Apply(parameters);
            using var agd = new Agd(parameters);
            var afterSetup = Torch.Torch.LiveTensors;
            for (var step = 0; step < 50; step++)
            {
                net.Backward();
                agd.Step();
                Assert.Equal(afterSetup, Torch.Torch.LiveTensors);
            }
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }

    internal static float[] GradOf(Parameter p)
    {
        using var g = p.Value.Grad!;
        return g.ToArray<float>();
    }

    // ALGORITHMS §2.2–2.3 in double: per-slice norms, G, η, then W − (η/L)·s·∇/‖∇‖ per slice;
    // biases move by −(η/L)·√n·∇/‖∇‖ (the rule documented on Agd.Update).
    internal static List<double[]> HandComputedStep(List<(string Name, Parameter Parameter)> parameters, List<float[]> values, List<float[]> grads,
        out double eta)
    {
        var depth = parameters.Count(p => p.Parameter.Role == ParameterRole.Weight);
        var norms = new List<double[]>();
        var scales = new List<double>();
        var g = 0.0;
        for (var k = 0; k < parameters.Count; k++)
        {
            var shape = parameters[k].Parameter.Shape;
            var weight = parameters[k].Parameter.Role == ParameterRole.Weight;
            var slices = weight && shape.Length == 4 ? (int)(shape[2] * shape[3]) : 1;
            var n = new double[slices];
            for (var e = 0; e < grads[k].Length; e++) n[e % slices] += (double)grads[k][e] * grads[k][e];
            for (var q = 0; q < slices; q++) n[q] = Math.Sqrt(n[q]);
            var s = weight ? Math.Sqrt((double)shape[0] / shape[1]) / Math.Sqrt(slices) : Math.Sqrt(grads[k].Length);
            if (weight) g += s * n.Sum();
            norms.Add(n);
            scales.Add(s);
        }

        g /= depth;
        eta = Math.Log((1 + Math.Sqrt(1 + 4 * g)) / 2);
        var result = new List<double[]>();
        for (var k = 0; k < parameters.Count; k++)
        {
            var slices = norms[k].Length;
            var step = eta / depth * scales[k];
            result.Add(values[k].Select((v, e) => v - step * grads[k][e] / norms[k][e % slices]).ToArray());
        }

        return result;
    }

    [Fact]
    public void Hyper_weights_step_but_do_not_deepen_the_network()
    {
        // A self-tuning net is no deeper than its plain twin: W_hyper runs beside W_elem.
        Torch.Torch.ManualSeed(3);
        using var plain = new SmallCnn(1, 8, 3, channels1: 4, channels2: 4, hidden: 8);
        using var tuned = new SmallCnn(1, 8, 3, channels1: 4, channels2: 4, hidden: 8, hyper: new HyperSwarm.GpuActors.Stn.HyperInput(2));
        using var plainAgd = new Agd(plain.NamedParameters());
        using var tunedAgd = new Agd(tuned.NamedParameters());
        Assert.Equal(plainAgd.Depth, tunedAgd.Depth);
        Assert.Contains(tuned.NamedParameters(), p => p.Parameter.Role == ParameterRole.HyperWeight);
    }
}
