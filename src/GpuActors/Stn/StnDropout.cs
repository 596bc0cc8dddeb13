using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// Dropout whose rate differs per example (ALGORITHMS §1.3: each example draws its own
/// perturbed λ). Rates are treated as constants: the weight step never differentiates
/// through the mask (§1.5), and the hyper step runs in evaluation mode without dropout.
/// </summary>
public static class StnDropout
{
    /// <summary>
    /// x (B, …) with each element of row b zeroed with probability p[b] and the rest scaled
    /// by 1/(1 − p[b]); <paramref name="rates"/> is (B).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor rates)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rates);
        using var scope = TensorScope.Begin();
        var shape = new long[x.Dim];                                  // (B, 1, 1, …)
        Array.Fill(shape, 1L);
        shape[0] = x.Shape[0];
        var p = rates.Detach().Clamp(0.0, 0.99).Reshape(shape);
        var keep = Torch.Torch.RandLike(x).Ge(p).To(x.DType);        // 1 with probability 1 − p
        return scope.Keep(x * keep / (1.0 - p));
    }
}
