using HyperSwarm.Torch;

namespace HyperSwarm.Torch.Tests.Support;

/// <summary>Small builders and comparisons for tests.</summary>
internal static class Tensors
{
    public static Tensor F64(double[] data, params long[] shape) => Tensor.FromArray<double>(data, shape.Length == 0 ? [data.Length] : shape);

    public static Tensor F32(float[] data, params long[] shape) => Tensor.FromArray<float>(data, shape.Length == 0 ? [data.Length] : shape);

    /// <summary>Deterministic float64 values in roughly [-1.5, 1.5] that avoid 0 and ties.</summary>
    public static Tensor Wavy(int seed, params long[] shape)
    {
        var n = shape.Aggregate(1L, (a, b) => a * b);
        var data = new double[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = 1.5 * Math.Sin(0.7 * i + 1.3 * seed + 0.1) + 0.01 * (i % 7) + 0.003;
        }

        return Tensor.FromArray<double>(data, shape);
    }

    public static void Close(double[] expected, double[] actual, double atol = 1e-6, double rtol = 1e-5, string? what = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tol = atol + rtol * Math.Abs(expected[i]);
            if (!(Math.Abs(expected[i] - actual[i]) <= tol) && !(double.IsNaN(expected[i]) && double.IsNaN(actual[i])))
            {
                Assert.Fail($"{what ?? "values"} differ at {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol:G3})");
            }
        }
    }

    public static double[] Values(Tensor t) => t.DType == DType.Float64 ? t.ToArray<double>() : AsDouble(t);

    private static double[] AsDouble(Tensor t)
    {
        using var d = t.To(DType.Float64);
        return d.ToArray<double>();
    }
}
