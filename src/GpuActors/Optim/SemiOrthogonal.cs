namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// Random (semi-)orthogonal matrices on the host, for <see cref="AgdInit"/>: the binding has
/// no QR, and init runs once, so plain double arithmetic is fast enough.
/// </summary>
internal static class SemiOrthogonal
{
    /// <summary>
    /// Turns <paramref name="gaussian"/> (rows·cols i.i.d. N(0, 1) draws, row-major) into a
    /// rows×cols matrix with orthonormal columns (rows ≥ cols) or orthonormal rows
    /// (rows &lt; cols), in place. Gram–Schmidt on Gaussian vectors is QR with a positive
    /// diagonal R, so the result is uniform (Haar) over such matrices, as ALGORITHMS §2.2 asks.
    /// </summary>
    public static void Orthonormalise(Span<double> gaussian, int rows, int cols)
    {
        if (gaussian.Length != rows * cols) throw new ArgumentException($"expected {rows}×{cols} values, got {gaussian.Length}", nameof(gaussian));

        // Work on the min(rows, cols) vectors of length max(rows, cols): columns when tall, rows when wide.
        var tall = rows >= cols;
        var count = tall ? cols : rows;
        var length = tall ? rows : cols;
        var v = new double[count][];
        for (var k = 0; k < count; k++)
        {
            v[k] = new double[length];
            for (var e = 0; e < length; e++) v[k][e] = gaussian[tall ? e * cols + k : k * cols + e];
        }

        for (var k = 0; k < count; k++)
        {
            // Modified Gram–Schmidt, twice: the second pass removes what rounding left behind.
            for (var pass = 0; pass < 2; pass++)
            {
                for (var j = 0; j < k; j++) Subtract(v[k], v[j], Dot(v[k], v[j]));
            }

            var norm = Math.Sqrt(Dot(v[k], v[k]));
            if (!(norm > 1e-12)) throw new InvalidOperationException("Gram–Schmidt met a dependent Gaussian draw");
            for (var e = 0; e < length; e++) v[k][e] /= norm;
        }

        for (var k = 0; k < count; k++)
        {
            for (var e = 0; e < length; e++) gaussian[tall ? e * cols + k : k * cols + e] = v[k][e];
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var e = 0; e < a.Length; e++) s += a[e] * b[e];
        return s;
    }

    private static void Subtract(double[] a, double[] b, double c)
    {
        for (var e = 0; e < a.Length; e++) a[e] -= c * b[e];
    }
}
