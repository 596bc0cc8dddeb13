using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.Torch.Tests;

/// <summary>
/// Each op family against PyTorch's own outputs (Fixtures/ops.json, made by
/// make_fixtures.py with Debian's PyTorch on the same libtorch).
/// </summary>
public sealed class ValueTests
{
    private static readonly Dictionary<string, Func<Tensor[], Tensor[]>> Ops = new()
    {
        ["neg"] = x => [x[0].Neg()], ["exp"] = x => [x[0].Exp()], ["abs"] = x => [x[0].Abs()],
        ["sigmoid"] = x => [x[0].Sigmoid()], ["tanh"] = x => [x[0].Tanh()], ["relu"] = x => [x[0].Relu()],
        ["sign"] = x => [x[0].Sign()], ["floor"] = x => [x[0].Floor()], ["square"] = x => [x[0].Square()],
        ["expm1"] = x => [x[0].Expm1()], ["gelu"] = x => [x[0].Gelu()], ["sqrt"] = x => [x[0].Sqrt()],
        ["rsqrt"] = x => [x[0].Rsqrt()], ["log"] = x => [x[0].Log()], ["reciprocal"] = x => [x[0].Reciprocal()],
        ["log1p"] = x => [x[0].Log1p()], ["logical_not"] = x => [x[0].LogicalNot()], ["isfinite"] = x => [x[0].IsFinite()],
        ["add_alpha"] = x => [x[0].Add(x[1], 2.5)], ["sub"] = x => [x[0] - x[1]], ["mul"] = x => [x[0] * x[1]],
        ["div"] = x => [x[0] / x[1]], ["maximum"] = x => [x[0].Maximum(x[1])], ["minimum"] = x => [x[0].Minimum(x[1])],
        ["pow_tensor"] = x => [x[0].Pow(x[1])], ["pow_scalar"] = x => [x[0].Pow(1.7)],
        ["eq"] = x => [x[0].Eq(x[1])], ["ne"] = x => [x[0].Ne(x[1])], ["gt"] = x => [x[0].Gt(x[1])],
        ["lt"] = x => [x[0].Lt(x[1])], ["ge"] = x => [x[0].Ge(x[1])], ["le"] = x => [x[0].Le(x[1])],
        ["scalar_arith"] = x => [((x[0] + 2) * 3 - 1) / 4], ["rsub_scalar"] = x => [5 - x[0]],
        ["scalar_compare"] = x => [x[0].Gt(0.25)], ["clamp"] = x => [x[0].Clamp(-0.5, 0.75)],
        ["clamp_min"] = x => [x[0].Clamp(min: 0.1)], ["where"] = x => [Tensor.Where(x[0], x[1], x[2])],
        ["addcmul_"] = x => { x[0].AddcmulInPlace(x[1], x[2], 0.5); return [x[0]]; },
        ["addcdiv_"] = x => { x[0].AddcdivInPlace(x[1], x[2], -2.0); return [x[0]]; },
        ["lerp_"] = x => { x[0].LerpInPlace(x[1], 0.3); return [x[0]]; },
        ["sum_all"] = x => [x[0].Sum()], ["sum_dims_keepdim"] = x => [x[0].Sum([0, 2], keepDim: true)],
        ["mean_dim"] = x => [x[0].Mean([1])], ["var_unbiased"] = x => [x[0].Var([2])],
        ["var_biased"] = x => [x[0].Var([2], unbiased: false)], ["norm_2"] = x => [x[0].Norm(2, [1])],
        ["norm_1_all"] = x => [x[0].Norm(1)], ["logsumexp"] = x => [x[0].LogSumExp([2])],
        ["max_all"] = x => [x[0].Max()], ["min_all"] = x => [x[0].Min()],
        ["max_dim"] = x => { var (v, i) = x[0].Max(1); return [v, i]; },
        ["argmax_dim"] = x => [x[0].ArgMax(2)], ["argmax_all"] = x => [x[0].ArgMax()],
        ["permute"] = x => [x[0].Permute(2, 0, 1)], ["transpose"] = x => [x[0].Transpose(0, 2)],
        ["flip"] = x => [x[0].Flip(1, 2)], ["narrow"] = x => [x[0].Narrow(2, 1, 2)],
        ["cat"] = x => [Tensor.Cat([x[0], x[1]], 1)], ["stack"] = x => [Tensor.Stack([x[0], x[1]], 0)],
        ["split"] = x => x[0].Split(2), ["split_sizes"] = x => x[0].Split([1, 4]),
        ["index_select"] = x => [x[0].IndexSelect(0, x[1])], ["gather"] = x => [x[0].Gather(1, x[1])],
        ["one_hot"] = x => [x[0].OneHot(5)],
        ["conv2d"] = x => [Functional.Conv2d(x[0], x[1], x[2], padding: 1)],
        ["conv2d_stride_pad_dilation"] = x => [Functional.Conv2d(x[0], x[1], null, (2, 1), (1, 2), (2, 1))],
        ["conv2d_groups"] = x => [Functional.Conv2d(x[0], x[1], x[2], groups: 2)],
        ["batch_norm_train"] = x => [Functional.BatchNorm(x[0], x[1], x[2], x[3], x[4], training: true, momentum: 0.2), x[1], x[2]],
        ["batch_norm_eval"] = x => [Functional.BatchNorm(x[0], x[1], x[2], training: false)],
        ["linear"] = x => [Functional.Linear(x[0], x[1], x[2])], ["matmul"] = x => [Functional.MatMul(x[0], x[1])],
        ["max_pool2d"] = x => [Functional.MaxPool2d(x[0], 3, 2, 1)],
        ["max_pool2d_ceil"] = x => [Functional.MaxPool2d(x[0], 2, 2, 0, ceilMode: true)],
        ["avg_pool2d"] = x => [Functional.AvgPool2d(x[0], 3, 2, 1, countIncludePad: false)],
        ["adaptive_avg_pool2d"] = x => [Functional.AdaptiveAvgPool2d(x[0], 3, 2)],
        ["elu"] = x => [Functional.Elu(x[0], 0.7, 1.2, 0.9)], ["softplus"] = x => [Functional.Softplus(x[0], 2, 5)],
        ["softmax"] = x => [Functional.Softmax(x[0], 1)], ["log_softmax"] = x => [Functional.LogSoftmax(x[0], 0)],
        ["cross_entropy"] = x => [Functional.CrossEntropy(x[0], x[1])],
        ["cross_entropy_smoothing"] = x => [Functional.CrossEntropy(x[0], x[1], labelSmoothing: 0.1)],
        ["cross_entropy_weight_none"] = x => [Functional.CrossEntropy(x[0], x[1], x[2], Reduction.None)],
        ["cross_entropy_ignore"] = x => [Functional.CrossEntropy(x[0], x[1], ignoreIndex: 4, reduction: Reduction.Sum)],
        ["nll_loss"] = x => [Functional.NllLoss(x[0], x[1])], ["mse_loss_sum"] = x => [Functional.MseLoss(x[0], x[1], Reduction.Sum)],
        ["arange"] = _ => [Torch.Arange(2.0, 9.0, 1.5, DType.Float64)],
        ["full"] = _ => [Torch.Full([2, 3], 0.25, DType.Float64)],
        ["rand_seeded"] = _ => Seeded(() => Torch.Rand([2, 5], DType.Float64)),
        ["randn_seeded"] = _ => Seeded(() => Torch.Randn([3, 4], DType.Float64)),
        ["randint_seeded"] = _ => Seeded(() => Torch.RandInt(0, 10, [6])),
        ["randperm_seeded"] = _ => Seeded(() => Torch.RandPerm(12)),
        ["rand_float32_seeded"] = _ => Seeded(() => Torch.Rand([4])),
    };

    public static TheoryData<string> Names => new(Ops.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Output_equals_pytorch(string name)
    {
        Assert.True(Fixture.Cases.TryGetValue(name, out var spec), $"ops.json has no case '{name}': rerun make_fixtures.py");
        using var scope = TensorScope.Begin();
        var inputs = spec.GetProperty("inputs").EnumerateArray().Select(Fixture.Decode).ToArray();
        var expected = spec.GetProperty("outputs").EnumerateArray().Select(Fixture.Decode).ToArray();
        var actual = Ops[name](inputs);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].DType, actual[i].DType);
            Assert.Equal(expected[i].Shape, actual[i].Shape);
            var tol = expected[i].DType == DType.Float32 ? 1e-6 : 1e-10;
            Tensors.Close(Tensors.Values(expected[i]), Tensors.Values(actual[i]), tol, tol, $"{name} output {i}");
        }
    }

    [Fact]
    public void Every_fixture_case_has_a_binding_implementation()
    {
        var missing = Fixture.Cases.Keys.Except(Ops.Keys).ToArray();
        Assert.True(missing.Length == 0, $"cases without a C# twin: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Hand_computed_values_hold()
    {
        using var scope = TensorScope.Begin();
        Assert.Equal([4.0, 6.0], (Tensors.F64([1, 2]) + Tensors.F64([3, 4])).ToArray<double>());
        Tensors.Close([0.25, 0.75], Functional.Softmax(Tensors.F64([0, Math.Log(3)]), 0).ToArray<double>());
        // cross-entropy of uniform logits over 4 classes is ln 4
        Tensors.Close([Math.Log(4)], [Functional.CrossEntropy(Torch.Zeros([1, 4], DType.Float64), Tensor.FromArray(new long[] { 2 })).ToDouble()]);
        // 2x2 conv of ones with ones, no padding: every output is 4
        Assert.All(Functional.Conv2d(Torch.Ones([1, 1, 3, 3]), Torch.Ones([1, 1, 2, 2])).ToArray<float>(), v => Assert.Equal(4f, v));
        Assert.Equal(3.0, Tensors.F64([3, -1, 2]).Max().ToDouble());
        Assert.Equal(6, Tensors.F64([1, 2, 3]).Sum().ToDouble());
    }

    private static Tensor[] Seeded(Func<Tensor> make)
    {
        Torch.ManualSeed(1234);
        return [make()];
    }
}
