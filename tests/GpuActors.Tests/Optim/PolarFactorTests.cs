using HyperSwarm.GpuActors.Optim;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>The Newton–Schulz polar factor against matrices whose SVD is known by construction.</summary>
public sealed class PolarFactorTests
{
    private const int Rows = 8, Cols = 24;

    // Singular values spanning a condition number of 40, the hard case for five rounds.
    private static readonly double[] Singular = [4, 2.5, 1.5, 1, 0.6, 0.35, 0.2, 0.1];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_wide_or_tall_matrix_keeps_its_singular_vectors_and_gets_singular_values_near_one(bool tall)
    {
        // Arrange: G = U·diag(σ)·Vᵀ (8×24), or its transpose; the exact polar factor is U·Vᵀ.
        var (u, v) = Bases(seed: 5);
        var g = Compose(u, Singular, v);                                   // (8, 24) row-major
        using var scope = TensorScope.Begin();
        var input = Tensor.FromArray<float>(ToFloat(tall ? Transpose(g, Rows, Cols) : g), tall ? [Cols, Rows] : [Rows, Cols]);

        // Act
        var polar = PolarFactor.OfSlices(input).ToArray<float>();

        // Assert: Uᵀ·R·V is diagonal with entries in the quintic's band, and R has no part outside span(U, V).
        var r = tall ? Transpose(ToDouble(polar), Cols, Rows) : ToDouble(polar);
        var d = Project(u, r, v);                                            // (8, 8)
        var offDiagonal = 0.0;
        var diagonalSquares = 0.0;
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Rows; j++)
            {
                if (i == j) Assert.InRange(d[i * Rows + j], 0.6, 1.25);
                else offDiagonal = Math.Max(offDiagonal, Math.Abs(d[i * Rows + j]));
            }

            diagonalSquares += d[i * Rows + i] * d[i * Rows + i];
        }

        Assert.True(offDiagonal < 0.02, $"largest off-diagonal entry {offDiagonal:F4}");
        Assert.Equal(diagonalSquares, r.Sum(x => x * x), 2);
    }

    [Fact]
    public void Every_conv_slice_is_treated_alone_regardless_of_its_scale_and_a_zero_slice_stays_zero()
    {
        // Arrange: a (8, 24, 2, 2) kernel whose slices are 0.01·G, G, 300·G and 0.
        var (u, v) = Bases(seed: 6);
        var g = Compose(u, Singular, v);
        double[] factors = [0.01, 1, 300, 0];
        var kernel = new float[Rows * Cols * 4];
        for (var e = 0; e < g.Length; e++)
        {
            for (var q = 0; q < 4; q++) kernel[e * 4 + q] = (float)(factors[q] * g[e]); // (o, i, kh, kw) row-major
        }

        using var scope = TensorScope.Begin();
        var alone = PolarFactor.OfSlices(Tensor.FromArray<float>(ToFloat(g), [Rows, Cols])).ToArray<float>();

        // Act
        var polar = PolarFactor.OfSlices(Tensor.FromArray<float>(kernel, [Rows, Cols, 2, 2]));

        // Assert
        Assert.Equal([Rows, Cols, 2, 2], polar.Shape);
        var values = polar.ToArray<float>();
        for (var e = 0; e < g.Length; e++)
        {
            for (var q = 0; q < 3; q++) Assert.Equal(alone[e], values[e * 4 + q], 4);
            Assert.Equal(0f, values[e * 4 + 3]);
        }
    }

    [Fact]
    public void A_vector_is_refused_with_its_shape()
    {
        using var scope = TensorScope.Begin();
        var error = Assert.Throws<ArgumentException>(() => PolarFactor.OfSlices(Torch.Torch.Zeros([5])));
        Assert.Contains("[5]", error.Message, StringComparison.Ordinal);
    }

    // U (8×8) orthogonal and V (24×8) with orthonormal columns, from seeded Gaussian draws.
    private static (double[] U, double[] V) Bases(int seed)
    {
        var random = new Random(seed);
        double[] Gaussian(int n) => Enumerable.Range(0, n).Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
        var u = Gaussian(Rows * Rows);
        var v = Gaussian(Cols * Rows);
        SemiOrthogonal.Orthonormalise(u, Rows, Rows);
        SemiOrthogonal.Orthonormalise(v, Cols, Rows);
        return (u, v);
    }

    // U·diag(σ)·Vᵀ, (8, 24) row-major.
    private static double[] Compose(double[] u, double[] singular, double[] v)
    {
        var g = new double[Rows * Cols];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Cols; j++)
            {
                for (var k = 0; k < Rows; k++) g[i * Cols + j] += u[i * Rows + k] * singular[k] * v[j * Rows + k];
            }
        }

        return g;
    }

    // Uᵀ·R·V for R (8, 24): (8, 8) row-major.
    private static double[] Project(double[] u, double[] r, double[] v)
    {
        var d = new double[Rows * Rows];
        for (var a = 0; a < Rows; a++)
        {
            for (var b = 0; b < Rows; b++)
            {
                for (var i = 0; i < Rows; i++)
                {
                    for (var j = 0; j < Cols; j++) d[a * Rows + b] += u[i * Rows + a] * r[i * Cols + j] * v[j * Rows + b];
                }
            }
        }

        return d;
    }

    private static double[] Transpose(double[] m, int rows, int cols)
    {
        var t = new double[m.Length];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
        }

        return t;
    }

    private static float[] ToFloat(double[] m) => m.Select(x => (float)x).ToArray();

    private static double[] ToDouble(float[] m) => m.Select(x => (double)x).ToArray();
}
