using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// One DenseNet-BC layer: [act → 1×1 conv (4k) → act → 3×3 conv (k)] on the concatenation of
/// everything before it. Without normalisation it follows Fixup-Dense (ALGORITHMS §4.4):
/// scalar biases before each activation and conv, a scalar multiplier on the output, and the
/// 3×3 conv zero-initialised so the block starts as [x₀, 0, …, 0] and features grow in.
/// In a self-tuning network the 3×3 conv is a <see cref="HyperConv2d"/>: the k new features
/// respond to the hyperparameters, gated per channel.
/// </summary>
public sealed class DenseLayer : Module
{
    private readonly BatchNorm2d? norm1;
    private readonly BatchNorm2d? norm2;
    private readonly ScalarBias? biasAct1;
    private readonly ScalarBias? biasConv1;
    private readonly ScalarBias? biasAct2;
    private readonly ScalarBias? biasConv2;
    private readonly ScalarScale? scale;
    private readonly HyperConv2d? hyperConv2;
    private readonly HyperInput? hyper;

    /// <summary>Creates the layer reading <paramref name="inChannels"/> channels; <paramref name="depthGain"/> scales the 1×1 init.</summary>
    public DenseLayer(long inChannels, DenseNetOptions options, double depthGain = 1.0, HyperInput? hyper = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var k = options.GrowthRate;
        var width = (long)options.BottleneckWidth * k;
        var fixup = options.Norm == NormKind.None;

        if (fixup) biasAct1 = AddModule("bias1a", new ScalarBias());
        else norm1 = AddModule("norm1", new BatchNorm2d(inChannels));
        Act1 = AddModule("act1", new Mpelu(inChannels, options.MpeluAlpha, options.MpeluBeta));
        if (fixup) biasConv1 = AddModule("bias1b", new ScalarBias());
        Conv1 = AddModule("conv1", new Conv2d(inChannels, width, 1, bias: false));
        if (fixup) biasAct2 = AddModule("bias2a", new ScalarBias());
        else norm2 = AddModule("norm2", new BatchNorm2d(width));
        Act2 = AddModule("act2", new Mpelu(width, options.MpeluAlpha, options.MpeluBeta));
        if (fixup) biasConv2 = AddModule("bias2b", new ScalarBias());
        this.hyper = hyper;
        if (hyper is null)
        {
            Conv2 = AddModule("conv2", new Conv2d(width, k, 3, padding: 1, bias: false));
        }
        else
        {
            hyperConv2 = AddModule("conv2", new HyperConv2d(width, k, 3, hyper.Count, padding: 1, bias: false));
            Conv2 = hyperConv2.Elementary;
        }

        if (fixup) scale = AddModule("scale", new ScalarScale());

        // Taylor init (§3.2) for the weights feeding each MPELU; Fixup zeroes the branch's last conv.
        using (NoGrad.Enter())
        {
            Conv1.Weight.Value.NormalInPlace(0, depthGain * Mpelu.TaylorStd(inChannels, options.MpeluAlpha, options.MpeluBeta));
            var std3 = Mpelu.TaylorStd(width * 9, options.MpeluAlpha, options.MpeluBeta);
            if (fixup) Conv2.Weight.Value.ZeroInPlace();
            else Conv2.Weight.Value.NormalInPlace(0, std3);

            // The response kernel must not start at zero too: with zero gates and a zero kernel
            // neither would ever get a gradient.
            hyperConv2?.Hyper.Weight.Value.NormalInPlace(0, std3);
        }
    }

    /// <summary>First activation (on the concatenated input).</summary>
    public Mpelu Act1 { get; }

    /// <summary>1×1 bottleneck conv.</summary>
    public Conv2d Conv1 { get; }

    /// <summary>Second activation.</summary>
    public Mpelu Act2 { get; }

    /// <summary>3×3 conv producing the k new channels (the elementary half when hyper).</summary>
    public Conv2d Conv2 { get; }

    /// <summary>Normalisation before <see cref="Act1"/> (batch norm only).</summary>
    public BatchNorm2d? Norm1 => norm1;

    /// <summary>Normalisation before <see cref="Act2"/> (batch norm only).</summary>
    public BatchNorm2d? Norm2 => norm2;

    /// <summary>Fixup's scalar biases, in forward order: before act 1, conv 1, act 2, conv 2 (Fixup only).</summary>
    public (ScalarBias Act1, ScalarBias Conv1, ScalarBias Act2, ScalarBias Conv2)? FixupBiases =>
        biasAct1 is null ? null : (biasAct1, biasConv1!, biasAct2!, biasConv2!);

    /// <summary>Fixup's multiplier on the new features (Fixup only).</summary>
    public ScalarScale? Scale => scale;

    /// <summary>The 3×3 conv as a hyper layer (self-tuning only); <see cref="Conv2"/> is its elementary half.</summary>
    public HyperConv2d? HyperConv2 => hyperConv2;

    /// <summary>(B, C_in, H, W) → new features (B, k, H, W).</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = TensorScope.Begin();
        var h = norm1 is null ? biasAct1!.Forward(x) : norm1.Forward(x);
        h = Act1.Forward(h);
        if (biasConv1 is not null) h = biasConv1.Forward(h);
        h = Conv1.Forward(h);                                           // (B, 4k, H, W)
        h = norm2 is null ? biasAct2!.Forward(h) : norm2.Forward(h);
        h = Act2.Forward(h);
        if (biasConv2 is not null) h = biasConv2.Forward(h);
        h = hyperConv2 is null ? Conv2.Forward(h) : hyperConv2.Forward(h, hyper!.Current); // (B, k, H, W)
        if (scale is not null) h = scale.Forward(h);
        return scope.Keep(h);
    }
}
