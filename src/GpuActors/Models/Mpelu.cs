using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// MPELU (ALGORITHMS §3.1): f(y) = y for y &gt; 0, α_c·(exp(β_c·y) − 1) otherwise, with learnable
/// per-channel α, β. α = 0 is ReLU, α = β = 1 is ELU.
/// </summary>
public sealed class Mpelu : Module
{
    /// <summary>PyTorch module defaults of the reference: α = 0.25, β = 1 (§3.1).</summary>
    public Mpelu(long channels, double alpha = 0.25, double beta = 1.0)
    {
        Channels = channels;
        InitAlpha = alpha;
        InitBeta = beta;
        Alpha = AddParameter("alpha", Init.Constant([channels], alpha), ParameterRole.MpeluAlpha);
        Beta = AddParameter("beta", Init.Constant([channels], beta), ParameterRole.MpeluBeta);
    }

    /// <summary>The smallest β the forward pass uses.</summary>
    public const double MinBeta = 0.01;

    /// <summary>Number of channels (one α, β each).</summary>
    public long Channels { get; }

    /// <summary>α at construction (the Taylor init uses it).</summary>
    public double InitAlpha { get; }

    /// <summary>β at construction.</summary>
    public double InitBeta { get; }

    /// <summary>(C).</summary>
    public Parameter Alpha { get; }

    /// <summary>(C).</summary>
    public Parameter Beta { get; }

    /// <summary>
    /// Weight variance for a layer feeding this activation, linearising the negative branch at 0
    /// (f ≈ αβ·y): Var(W) = 2 / (n·(1 + α²β²)) (§3.2, "Taylor" init).
    /// </summary>
    public static double TaylorStd(long fanIn, double alpha, double beta) =>
        Math.Sqrt(2.0 / (fanIn * (1 + alpha * alpha * beta * beta)));

    /// <summary>(B, C, …) → same shape; channels on dim 1.</summary>
    public Tensor Forward(Tensor y)
    {
        using var scope = TensorScope.Begin();
        var shape = new long[Math.Max(2, y.Dim)];                    // (1, C, 1, …): broadcast over dim 1
        Array.Fill(shape, 1L);
        shape[1] = Channels;
        // The paper's constraints α ≥ 0, β > 0 (§3.1), enforced in the forward pass: optimizers
        // (AGD's fixed-size normalised steps especially) can walk β below zero, and then
        // e^{β·y} overflows for a very negative y (measured: a 15-minute AGD run on
        // Fashion-MNIST went to NaN at step 2430 with β ≈ −0.2 in several channels).
        var alpha = Alpha.Value.View(shape).Clamp(min: 0.0);        // (1, C, 1, 1)
        var beta = Beta.Value.View(shape).Clamp(min: MinBeta);
        var negative = (y.Minimum(0.0) * beta).Expm1() * alpha;     // α(e^{β·min(y,0)} − 1): 0 for y > 0
        return scope.Keep(y.Relu() + negative);
    }
}
