using HyperSwarm.Protocol.Hyperparameters;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Stn;

public sealed class HyperparameterSpaceTests
{
    private static HyperparameterSpace Space() => new(
    [
        HyperparameterSpec.Bounded("dropout.input", 0, 0.9, 0.05),
        HyperparameterSpec.LowerBounded("jitter", 0, 0.3, sigma: 0.25),
        HyperparameterSpec.Discrete("cutout.holes", 0, 5, 1),
        new HyperparameterSpec("batch.level", HyperparameterKind.Bounded, -1, 1, 0.2, PerExample: false),
    ]);

    [Fact]
    public void Initial_values_and_sigmas_are_the_declared_ones()
    {
        using var space = Space();
        var values = space.Values();
        Assert.Equal(0.05, values["dropout.input"], 5);
        Assert.Equal(0.3, values["jitter"], 5);
        Assert.Equal(1, values["cutout.holes"]);
        Assert.Equal(0.2, values["batch.level"], 5);
        Assert.Equal(0.25, space.Sigmas()["jitter"], 5);
        Assert.Equal(0.5, space.Sigmas()["dropout.input"], 5);
    }

    [Fact]
    public void Tensor_map_agrees_with_the_host_map_and_stays_in_range()
    {
        using var space = Space();
        using var scope = TensorScope.Begin();
        Torch.Torch.ManualSeed(11);
        var raw = Torch.Torch.Randn([64, 4]) * 4.0;
        var constrained = space.Constrain(raw).ToArray<float>();
        var r = raw.ToArray<float>();
        for (var i = 0; i < r.Length; i++)
        {
            var spec = space.Specs[i % 4];
            // float32 on the device vs double on the host: close, except a floor may land
            // either side of an integer when the value sits on a bin edge (not with this seed).
            Assert.True(Math.Abs(spec.Constrain(r[i]) - constrained[i]) < 1e-4, $"{spec.Name}: host {spec.Constrain(r[i])} vs tensor {constrained[i]}");
            Assert.InRange(constrained[i], spec.Lower, spec.Upper);
        }
    }

    [Fact]
    public void Discrete_values_reach_both_ends_of_their_range()
    {
        var spec = HyperparameterSpec.Discrete("holes", 0, 5, 1);
        Assert.Equal(0, spec.Constrain(-30));
        Assert.Equal(5, spec.Constrain(30));
        for (var v = 0; v <= 5; v++) Assert.Equal(v, spec.Constrain(spec.Unconstrain(v)));
    }

    [Fact]
    public void Per_example_columns_vary_by_row_and_shared_ones_do_not()
    {
        using var space = Space();
        using var scope = TensorScope.Begin();
        var sample = space.Sample(32).ToArray<float>();                   // (32, 4)
        var column = (int c) => Enumerable.Range(0, 32).Select(b => sample[b * 4 + c]).Distinct().Count();
        Assert.Equal(32, column(0));
        Assert.Equal(1, column(3));
    }

    [Fact]
    public void Entropy_is_the_diagonal_gaussian_formula_and_its_gradient_reaches_the_scales()
    {
        using var space = Space();
        using var scope = TensorScope.Begin();
        var sigmas = space.Sigmas().Values;
        var expected = sigmas.Sum(s => Math.Log(s * Math.Sqrt(2 * Math.PI * Math.E)));
        var entropy = space.Entropy();
        Assert.Equal(expected, entropy.ToDouble(), 4);

        var grads = Autograd.Grad([entropy], [space.ScaleRaw]);
        // dH/ds = σ'(s)/σ = sigmoid(s)/softplus(s) > 0: more spread, more entropy
        Assert.All(grads[0]!.ToArray<float>(), g => Assert.True(g > 0));
    }

    [Fact]
    public void Impossible_declarations_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new HyperparameterSpace([HyperparameterSpec.Bounded("p", 0, 1, 1.5)]));
        Assert.Throws<ArgumentException>(() => new HyperparameterSpace([HyperparameterSpec.Bounded("p", 0, 1, 0.5), HyperparameterSpec.Bounded("p", 0, 1, 0.5)]));
        Assert.Throws<ArgumentException>(() => new HyperparameterSpace([]));
    }
}
