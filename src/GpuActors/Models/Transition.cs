using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// DenseNet-C transition: act → 1×1 conv (compress to ⌊θ·C⌋) → 2×2 average pool. On the main
/// path, so never zero-initialised. Without BN its init counts only the channels that are
/// non-zero at init (ALGORITHMS §4.4 step 4): He with fan_in = C of the block input, not C of
/// the whole concatenation, which would shrink the signal by √(k₀/(k₀ + L_b·k)) per block.
/// </summary>
public sealed class Transition : Module
{
    private readonly BatchNorm2d? norm;
    private readonly ScalarBias? biasAct;
    private readonly ScalarBias? biasConv;

    /// <summary>Creates a transition from <paramref name="inChannels"/>, of which <paramref name="liveChannelsAtInit"/> are non-zero at init.</summary>
    private readonly bool normPreserving;

    public Transition(long inChannels, long liveChannelsAtInit, DenseNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OutChannels = (long)Math.Floor(options.Compression * inChannels);
        normPreserving = options.NormPreservingPools;
        var fixup = options.Norm == NormKind.None;
        if (fixup) biasAct = AddModule("bias1a", new ScalarBias());
        else norm = AddModule("norm", new BatchNorm2d(inChannels));
        Act = AddModule("act", new Mpelu(inChannels, options.MpeluAlpha, options.MpeluBeta));
        if (fixup) biasConv = AddModule("bias1b", new ScalarBias());
        Conv = AddModule("conv", new Conv2d(inChannels, OutChannels, 1, bias: false));
        var fanIn = fixup ? liveChannelsAtInit : inChannels;
        using (NoGrad.Enter())
        {
            Conv.Weight.Value.NormalInPlace(0, Mpelu.TaylorStd(fanIn, options.MpeluAlpha, options.MpeluBeta));
        }
    }

    /// <summary>Channels after compression.</summary>
    public long OutChannels { get; }

    /// <summary>The activation before the conv.</summary>
    public Mpelu Act { get; }

    /// <summary>The 1×1 compression conv.</summary>
    public Conv2d Conv { get; }

    /// <summary>Normalisation before <see cref="Act"/> (batch norm only).</summary>
    public BatchNorm2d? Norm => norm;

    /// <summary>Fixup's scalar biases before the activation and before the conv (Fixup only).</summary>
    public (ScalarBias Act, ScalarBias Conv)? FixupBiases => biasAct is null ? null : (biasAct, biasConv!);

    /// <summary>Whether the pool's output is multiplied by √(pool area) = 2 (AGD's norm-preserving pools).</summary>
    public bool NormPreserving => normPreserving;

    /// <summary>(B, C, H, W) → (B, ⌊θC⌋, H/2, W/2).</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = TensorScope.Begin();
        var h = norm is null ? biasAct!.Forward(x) : norm.Forward(x);
        h = Act.Forward(h);
        if (biasConv is not null) h = biasConv.Forward(h);
        h = Conv.Forward(h);
        var pooled = Functional.AvgPool2d(h, 2);                                    // (B, θC, H/2, W/2)
        return scope.Keep(normPreserving ? pooled * 2.0 : pooled);
    }
}
