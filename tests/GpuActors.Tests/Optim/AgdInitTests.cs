using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>AGD's init (ALGORITHMS §2.2–2.3): semi-orthogonal matrices (per conv slice) times s.</summary>
public sealed class AgdInitTests
{
    [Theory]
    [InlineData(12, 5)]  // tall: orthonormal columns
    [InlineData(5, 12)]  // wide: orthonormal rows
    [InlineData(7, 7)]   // square: orthogonal
    public void A_dense_weight_becomes_semi_orthogonal_times_sqrt_fan_out_over_fan_in(int fanOut, int fanIn)
    {
        // Arrange
        Torch.Torch.ManualSeed(fanOut * 100 + fanIn);
        using var layer = new Linear(fanIn, fanOut, bias: true);

        // Act
        AgdInit.Apply(layer.NamedParameters());

        // Assert: W·Wᵀ (wide) or Wᵀ·W (tall) is s²·I with s = √(out/in); the bias is zero.
        var w = layer.Weight.Value.ToArray<float>();
        AssertScaledOrthonormal(w, fanOut, fanIn, offset: 0, stride: 1, Math.Sqrt((double)fanOut / fanIn));
        Assert.All(layer.Bias!.Value.ToArray<float>(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Each_conv_slice_is_orthogonalised_on_its_own_and_scaled_by_s()
    {
        // Arrange
        Torch.Torch.ManualSeed(7);
        using var conv = new Conv2d(4, 6, 3);

        // Act
        AgdInit.Apply(conv.NamedParameters());

        // Assert: every (kh, kw) slice is a 6×4 matrix with orthonormal columns times √(6/4)/3,
        // and different slices are different draws.
        var w = conv.Weight.Value.ToArray<float>();
        for (var q = 0; q < 9; q++) AssertScaledOrthonormal(w, 6, 4, offset: q, stride: 9, Math.Sqrt(6.0 / 4) / 3);
        Assert.NotEqual(w[0], w[1]);
    }

    [Fact]
    public void Other_roles_keep_their_init_and_the_same_seed_gives_the_same_weights()
    {
        // Arrange
        using var first = new ScaleTaskNet();
        using var second = new ScaleTaskNet();

        // Act
        Torch.Torch.ManualSeed(9);
        AgdInit.Apply(first.NamedParameters());
        Torch.Torch.ManualSeed(9);
        AgdInit.Apply(second.NamedParameters());

        // Assert
        var a = first.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Value.ToArray<float>());
        var b = second.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Value.ToArray<float>());
        Assert.Equal(a["conv2.weight"], b["conv2.weight"]);
        Assert.All(a["beta1"], v => Assert.Equal(1f, v));
        Assert.All(a["scale"], v => Assert.Equal(1f, v));
        Assert.All(a["conv1.bias"], v => Assert.Equal(0f, v));
    }

    // Checks the rows×cols matrix read from w[offset + stride·(o·cols + i)] is scale × (semi-)orthogonal.
    private static void AssertScaledOrthonormal(float[] w, int rows, int cols, int offset, int stride, double scale)
    {
        var tall = rows >= cols;
        var count = tall ? cols : rows;
        var length = tall ? rows : cols;
        double At(int vector, int e) => tall ? w[offset + stride * (e * cols + vector)] : w[offset + stride * (vector * cols + e)];
        for (var a = 0; a < count; a++)
        {
            for (var b = 0; b < count; b++)
            {
                var dot = 0.0;
                for (var e = 0; e < length; e++) dot += At(a, e) * At(b, e);
                Assert.Equal(a == b ? scale * scale : 0, dot, 5);
            }
        }
    }

    [Fact]
    public void Fixup_zero_initialised_layers_are_orthogonalised_too()
    {
        Torch.Torch.ManualSeed(8);
        using var net = new DenseNetBC(new DenseNetOptions { Depth = 10, GrowthRate = 4 });
        var named = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var stemBefore = named["stem.weight"].Value.ToArray<float>();

        AgdInit.Apply(net.NamedParameters());

        // AGD needs every layer at its dimensional scale: ‖W‖_F² = Σ_slices s²·min(out, in).
        foreach (var name in new[] { "block1.layer1.conv2.weight", "fc.weight" })
        {
            var w = named[name].Value;
            var s = Agd.WeightScale(name, w.Shape);
            var slices = w.Shape.Length == 4 ? w.Shape[2] * w.Shape[3] : 1;
            var expected = slices * s * s * Math.Min(w.Shape[0], w.Shape[1]);
            Assert.Equal(expected, w.ToArray<float>().Sum(v => (double)v * v), 3);
        }

        Assert.NotEqual(stemBefore, named["stem.weight"].Value.ToArray<float>());
        Assert.Contains(named["block1.layer1.conv1.weight"].Value.ToArray<float>(), v => v != 0f);
    }
}
