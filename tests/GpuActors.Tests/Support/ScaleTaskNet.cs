using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Support;

/// <summary>
/// A small conv net with every non-weight role AGD must handle: conv biases, MPELU-style
/// per-channel α and β (ALGORITHMS §3.1, α starting at 0 so the unit starts as a ReLU), a
/// Fixup-style scalar multiplier and scalar bias (§4.1) and a classifier bias. With those
/// parameters at their initial values the net is positively homogeneous, f(c·x) = c·f(x)
/// for c &gt; 0, so it predicts the same class for x and 3x: only the non-weights can make
/// it tell inputs apart by scale.
/// conv(1→8, 3×3) → MPELU → conv(8→8, 3×3) → MPELU → global average → ·m + b → linear(8→3).
/// </summary>
internal sealed class ScaleTaskNet : Module
{
    private const int Channels = 8;
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear classifier;
    private readonly Parameter[] alpha;
    private readonly Parameter[] beta;
    private readonly Parameter multiplier;
    private readonly Parameter scalarBias;

    public ScaleTaskNet()
    {
        conv1 = AddModule("conv1", new Conv2d(1, Channels, 3, padding: 1));
        conv2 = AddModule("conv2", new Conv2d(Channels, Channels, 3, padding: 1));
        alpha = [AddParameter("alpha1", Init.Zeros([Channels]), ParameterRole.MpeluAlpha), AddParameter("alpha2", Init.Zeros([Channels]), ParameterRole.MpeluAlpha)];
        beta = [AddParameter("beta1", Init.Constant([Channels], 1), ParameterRole.MpeluBeta), AddParameter("beta2", Init.Constant([Channels], 1), ParameterRole.MpeluBeta)];
        multiplier = AddParameter("scale", Init.Constant([1], 1), ParameterRole.Scalar);
        scalarBias = AddParameter("shift", Init.Zeros([1]), ParameterRole.Scalar);
        classifier = AddModule("fc", new Linear(Channels, 3));
    }

    /// <summary>Logits (B, 3) for images (B, 1, H, W).</summary>
    public Tensor Forward(Tensor x)
    {
        var h = Mpelu(conv1.Forward(x), 0);           // (B, 8, H, W)
        h = Mpelu(conv2.Forward(h), 1);               // (B, 8, H, W)
        var pooled = h.Mean([2, 3]);                  // (B, 8)
        pooled = pooled * multiplier.Value + scalarBias.Value;
        return classifier.Forward(pooled);            // (B, 3)
    }

    // ALGORITHMS §3.1: y for y > 0, α·(exp(β·y) − 1) otherwise; α, β per channel.
    private Tensor Mpelu(Tensor y, int layer)
    {
        var a = alpha[layer].Value.View(1, Channels, 1, 1);
        var b = beta[layer].Value.View(1, Channels, 1, 1);
        return y.Relu() + (y.Clamp(max: 0) * b).Expm1() * a;
    }
}
