using HyperSwarm.Torch.Tests.Support;
using static HyperSwarm.Torch.Tests.Support.Tensors;

namespace HyperSwarm.Torch.Tests;

/// <summary>Every differentiable op of the binding against central finite differences (float64).</summary>
public sealed class GradCheckTests
{
    private static readonly Dictionary<string, (Func<Tensor[]> Inputs, Func<Tensor[], Tensor> F)> Cases = new()
    {
        // unary
        ["neg"] = (() => [Wavy(1, 2, 3)], x => x[0].Neg()),
        ["sqrt"] = (() => [Positive(1, 2, 3)], x => x[0].Sqrt()),
        ["rsqrt"] = (() => [Positive(2, 2, 3)], x => x[0].Rsqrt()),
        ["exp"] = (() => [Wavy(3, 2, 3)], x => x[0].Exp()),
        ["log"] = (() => [Positive(4, 2, 3)], x => x[0].Log()),
        ["abs"] = (() => [Wavy(5, 2, 3)], x => x[0].Abs()),
        ["sigmoid"] = (() => [Wavy(6, 2, 3)], x => x[0].Sigmoid()),
        ["tanh"] = (() => [Wavy(7, 2, 3)], x => x[0].Tanh()),
        ["relu"] = (() => [Wavy(8, 2, 3)], x => x[0].Relu()),
        ["gelu"] = (() => [Wavy(9, 2, 3)], x => x[0].Gelu()),
        ["square"] = (() => [Wavy(10, 2, 3)], x => x[0].Square()),
        ["reciprocal"] = (() => [Positive(11, 2, 3)], x => x[0].Reciprocal()),
        ["log1p"] = (() => [Positive(12, 2, 3)], x => x[0].Log1p()),
        ["expm1"] = (() => [Wavy(13, 2, 3)], x => x[0].Expm1()),
        // binary, broadcasting included
        ["add_alpha"] = (() => [Wavy(1, 2, 3), Wavy(2, 3)], x => x[0].Add(x[1], alpha: -0.5)),
        ["sub"] = (() => [Wavy(3, 2, 3), Wavy(4, 2, 3)], x => x[0] - x[1]),
        ["mul"] = (() => [Wavy(5, 2, 3), Wavy(6, 2, 1)], x => x[0] * x[1]),
        ["div"] = (() => [Wavy(7, 2, 3), Positive(8, 2, 3)], x => x[0] / x[1]),
        ["maximum"] = (() => [Wavy(9, 2, 3), Wavy(10, 2, 3)], x => x[0].Maximum(x[1])),
        ["minimum"] = (() => [Wavy(11, 2, 3), Wavy(12, 2, 3)], x => x[0].Minimum(x[1])),
        ["pow_tensor"] = (() => [Positive(13, 2, 3), Wavy(14, 2, 3)], x => x[0].Pow(x[1])),
        ["pow_scalar"] = (() => [Positive(15, 2, 3)], x => x[0].Pow(2.5)),
        ["scalar_ops"] = (() => [Positive(16, 2, 3)], x => (3.0 - x[0]) * 2.0 / 4.0 + (1.0 / x[0]) - 0.5),
        ["clamp"] = (() => [Wavy(17, 3, 4)], x => x[0].Clamp(-0.8, 0.9)),
        ["where"] = (() => [Wavy(18, 2, 3), Wavy(19, 2, 3)], x => Tensor.Where(x[0].Gt(0.0), x[0], x[1])),
        // reductions
        ["sum_dims"] = (() => [Wavy(20, 2, 3, 4)], x => x[0].Sum([1], keepDim: true)),
        ["mean_all"] = (() => [Wavy(21, 2, 3)], x => x[0].Mean()),
        ["var"] = (() => [Wavy(22, 3, 4)], x => x[0].Var([1])),
        ["norm"] = (() => [Wavy(23, 3, 4)], x => x[0].Norm(2, [1])),
        ["logsumexp"] = (() => [Wavy(24, 3, 4)], x => x[0].LogSumExp([1])),
        ["max_all"] = (() => [Wavy(25, 3, 4)], x => x[0].Max()),
        ["min_all"] = (() => [Wavy(26, 3, 4)], x => x[0].Min()),
        ["max_dim"] = (() => [Wavy(27, 3, 4)], x => x[0].Max(1).Values),
        // shape
        ["reshape_view"] = (() => [Wavy(28, 2, 6)], x => x[0].Reshape(3, 4).View(4, 3) * 1.5),
        ["expand"] = (() => [Wavy(29, 3, 1)], x => x[0].Expand(3, 4) * Wavy(1, 3, 4)),
        ["permute_transpose"] = (() => [Wavy(30, 2, 3, 4)], x => x[0].Permute(2, 0, 1).Transpose(0, 2) * Wavy(2, 3, 2, 4)),
        ["flatten_squeeze"] = (() => [Wavy(31, 2, 1, 3)], x => x[0].Squeeze(1).Unsqueeze(0).Flatten() * Wavy(3, 6)),
        ["narrow_flip"] = (() => [Wavy(32, 4, 5)], x => x[0].Narrow(1, 1, 3).Flip(0) * Wavy(4, 4, 3)),
        ["cat_stack"] = (() => [Wavy(33, 2, 3), Wavy(34, 2, 3)], x => Tensor.Stack([Tensor.Cat([x[0], x[1]], 1), Tensor.Cat([x[1], x[0]], 1)]) * Wavy(5, 2, 2, 6)),
        ["split"] = (() => [Wavy(35, 5, 3)], x => x[0].Split(2)[2] * 3.0 + x[0].Split([1, 4])[1].Sum()),
        ["index_select"] = (() => [Wavy(36, 4, 3)], x => x[0].IndexSelect(0, Tensor.FromArray(new long[] { 3, 0, 3 }))),
        ["gather"] = (() => [Wavy(37, 3, 4)], x => x[0].Gather(1, Tensor.FromArray<long>([0, 3, 1, 1, 2, 2], [3, 2]))),
        // functional NN
        ["conv2d"] = (() => [Wavy(38, 2, 3, 6, 5), Wavy(39, 4, 3, 3, 3), Wavy(40, 4)], x => Functional.Conv2d(x[0], x[1], x[2], stride: 1, padding: 1)),
        ["conv2d_stride_dilation"] = (() => [Wavy(41, 1, 2, 7, 7), Wavy(42, 3, 2, 3, 3)], x => Functional.Conv2d(x[0], x[1], null, (2, 1), (1, 2), (2, 1))),
        ["conv2d_groups"] = (() => [Wavy(43, 1, 4, 5, 5), Wavy(44, 6, 2, 3, 3), Wavy(45, 6)], x => Functional.Conv2d(x[0], x[1], x[2], groups: 2)),
        ["batch_norm_train"] = (() => [Wavy(46, 4, 3, 2, 2), Positive(47, 3), Wavy(48, 3)], x => Functional.BatchNorm(x[0], null, null, x[1], x[2], training: true)),
        ["batch_norm_eval"] = (() => [Wavy(49, 4, 3, 2, 2)], x => Functional.BatchNorm(x[0], Wavy(1, 3) * 0.1, Positive(2, 3), training: false)),
        ["linear"] = (() => [Wavy(50, 4, 5), Wavy(51, 3, 5), Wavy(52, 3)], x => Functional.Linear(x[0], x[1], x[2])),
        ["matmul"] = (() => [Wavy(53, 2, 3, 4), Wavy(54, 4, 2)], x => Functional.MatMul(x[0], x[1])),
        ["max_pool2d"] = (() => [Wavy(55, 1, 2, 6, 6)], x => Functional.MaxPool2d(x[0], 3, 2, 1)),
        ["avg_pool2d"] = (() => [Wavy(56, 1, 2, 6, 6)], x => Functional.AvgPool2d(x[0], 2)),
        ["adaptive_avg_pool2d"] = (() => [Wavy(57, 2, 3, 5, 5)], x => Functional.AdaptiveAvgPool2d(x[0], 1, 1)),
        ["elu"] = (() => [Wavy(58, 3, 4)], x => Functional.Elu(x[0], alpha: 0.7, scale: 1.2, inputScale: 0.9)),
        ["softplus"] = (() => [Wavy(59, 3, 4)], x => Functional.Softplus(x[0], beta: 2)),
        ["softmax"] = (() => [Wavy(60, 3, 4)], x => Functional.Softmax(x[0], 1)),
        ["log_softmax"] = (() => [Wavy(61, 3, 4)], x => Functional.LogSoftmax(x[0], 1)),
        ["cross_entropy"] = (() => [Wavy(62, 4, 5)], x => Functional.CrossEntropy(x[0], Labels(), labelSmoothing: 0.1)),
        ["cross_entropy_weighted"] = (() => [Wavy(63, 4, 5)], x => Functional.CrossEntropy(x[0], Labels(), Positive(3, 5), Reduction.Sum)),
        ["nll_loss"] = (() => [Wavy(64, 4, 5)], x => Functional.NllLoss(Functional.LogSoftmax(x[0], 1), Labels())),
        ["mse_loss"] = (() => [Wavy(65, 3, 4), Wavy(66, 3, 4)], x => Functional.MseLoss(x[0], x[1])),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_central_differences(string name)
    {
        using var scope = TensorScope.Begin();
        var (inputs, f) = Cases[name];
        GradCheck.Run(name, f, inputs());
    }

    [Fact]
    public void Dropout_gradient_matches_central_differences_under_a_fixed_mask()
    {
        using var scope = TensorScope.Begin();
        // Re-seeding before every evaluation replays the same mask, so the op is a fixed
        // linear map whose derivative finite differences can see.
        GradCheck.Run("dropout", x => Functional.Dropout(x[0], 0.3, training: true), [Wavy(67, 4, 5)], beforeEachEval: () => Torch.ManualSeed(7));
    }

    [Fact]
    public void Second_order_gradient_through_create_graph_matches_differences_of_the_first()
    {
        using var scope = TensorScope.Begin();
        // g(x) = d/dx Σ tanh(x)·v, itself differentiated: hypergradients need exactly this.
        var v = Wavy(5, 3, 4);
        GradCheck.Run("grad_of_grad", x =>
        {
            var y = (x[0].Tanh() * v).Sum();
            return Autograd.Grad([y], [x[0]], createGraph: true)[0]!;
        }, [Wavy(68, 3, 4)]);
    }

    [Fact]
    public void Every_case_name_is_unique_and_the_table_is_not_empty()
    {
        Assert.True(Cases.Count >= 50, $"only {Cases.Count} grad-check cases");
    }

    private static Tensor Positive(int seed, params long[] shape)
    {
        using var w = Wavy(seed, shape);
        using var a = w.Abs();
        return a + 0.5;
    }

    private static Tensor Labels() => Tensor.FromArray(new long[] { 1, 0, 4, 2 });
}
