using HyperSwarm.Torch;

namespace HyperSwarm.Torch.Tests.Support;

/// <summary>
/// Compares autograd's gradient of a scalar probe, Σ f(x)·w with a fixed random w, against
/// central finite differences in float64: (g(x+ε) − g(x−ε)) / 2ε per input element.
/// </summary>
internal static class GradCheck
{
    private const double Eps = 1e-6;

    public static void Run(string name, Func<Tensor[], Tensor> f, Tensor[] inputs, double atol = 1e-5, double rtol = 1e-4, Action? beforeEachEval = null)
    {
        using var scope = TensorScope.Begin();
        foreach (var x in inputs) x.RequiresGrad = true;

        beforeEachEval?.Invoke();
        var y = f(inputs);
        Assert.Equal(DType.Float64, y.DType);
        var probe = Tensors.Wavy(99, y.Shape);
        var analytic = Autograd.Grad([(y * probe).Sum()], inputs, allowUnused: true);

        for (var k = 0; k < inputs.Length; k++)
        {
            var baseline = inputs[k].ToArray<double>();
            var numeric = new double[baseline.Length];
            for (var i = 0; i < baseline.Length; i++)
            {
                numeric[i] = (Probe(f, inputs, k, baseline, i, +Eps, probe, beforeEachEval) - Probe(f, inputs, k, baseline, i, -Eps, probe, beforeEachEval)) / (2 * Eps);
            }

            var got = analytic[k] is { } g ? g.ToArray<double>() : new double[baseline.Length];
            Tensors.Close(numeric, got, atol, rtol, $"{name}: d/d(input {k})");
        }
    }

    private static double Probe(Func<Tensor[], Tensor> f, Tensor[] inputs, int k, double[] baseline, int i, double delta, Tensor probe, Action? beforeEachEval)
    {
        using var scope = TensorScope.Begin();
        var moved = (double[])baseline.Clone();
        moved[i] += delta;
        var shifted = (Tensor[])inputs.Clone();
        shifted[k] = Tensor.FromArray<double>(moved, inputs[k].Shape);
        shifted[k].RequiresGrad = true; // f may differentiate internally (grad of grad)
        beforeEachEval?.Invoke();
        return (f(shifted) * probe).Sum().ToDouble();
    }
}
