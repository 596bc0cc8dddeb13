using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// The orthogonal polar factor U·Vᵀ of every spatial slice of a weight gradient (∇ = U·Σ·Vᵀ),
/// approximated by a quintic Newton–Schulz iteration, batched over the slices: the steepest
/// descent direction under the spectral norm, which AGD's majoriser bounds (ALGORITHMS §2.1).
/// The quintic's coefficients (3.4445, −4.7750, 2.0315) are the ones published with the Muon
/// optimizer: they push every singular value of a Frobenius-normalised matrix into about
/// [0.7, 1.2] in five rounds, which is orthogonal enough for a descent direction and needs only
/// matrix products (no SVD in the binding, and an SVD per slice per step would cost more).
/// </summary>
public static class PolarFactor
{
    private const double A = 3.4445, B = -4.7750, C = 2.0315;
    private const int Rounds = 5;

    // Keeps an all-zero slice at zero instead of 0/0.
    private const double Tiny = 1e-12;

    /// <summary>
    /// Polar factor per slice of <paramref name="gradient"/>, shape (out, in) or
    /// (out, in, kh, kw); the result has the same shape, every slice's singular values near 1.
    /// </summary>
    public static Tensor OfSlices(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        var shape = gradient.Shape;
        if (shape.Length is not (2 or 4)) throw new ArgumentException($"the polar factor needs a matrix or conv kernel, got shape [{string.Join(", ", shape)}]", nameof(gradient));
        long rows = shape[0], cols = shape[1];
        long kh = shape.Length == 4 ? shape[2] : 1, kw = shape.Length == 4 ? shape[3] : 1;
        using var scope = TensorScope.Begin();

        // (out, in, kh, kw) → (kh·kw, out, in): one matrix per slice, batched.
        var x = shape.Length == 4
            ? gradient.Permute(2, 3, 0, 1).Reshape(kh * kw, rows, cols)
            : gradient.Unsqueeze(0);
        // Frobenius-normalise each slice so its spectral norm is at most 1, where the quintic converges.
        x = x / (x.Norm(2, [1, 2], keepDim: true) + Tiny);                  // (k, out, in)
        var tall = rows > cols;
        if (tall) x = x.Transpose(1, 2);                                      // (k, r, c), r ≤ c: the Gram matrix is the small one
        for (var round = 0; round < Rounds; round++)
        {
            var gram = Functional.MatMul(x, x.Transpose(1, 2));              // (k, r, r)
            var poly = gram * B + Functional.MatMul(gram, gram) * C;          // (k, r, r)
            x = x * A + Functional.MatMul(poly, x);                           // (k, r, c)
        }

        if (tall) x = x.Transpose(1, 2);                                      // (k, out, in)
        // A strided view, not a copy: the in-place step and host copies read views as they are.
        var result = shape.Length == 4
            ? x.Reshape(kh, kw, rows, cols).Permute(2, 3, 0, 1)              // (out, in, kh, kw)
            : x.Squeeze(0);                                                   // (out, in)
        return scope.Keep(result);
    }
}
