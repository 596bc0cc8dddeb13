using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// DenseNet-BC with MPELU activations (ALGORITHMS §3, §5) and, by default, no normalisation:
/// the Fixup-Dense recipe of §4.4 (zero-init last conv of each dense layer and the classifier,
/// scalar biases and multipliers, transitions initialised for their live channels).
/// Parameter names read <c>block2.layer5.conv2.weight</c>. Given a <see cref="HyperInput"/>, it
/// is a self-tuning network: the 3×3 conv of every dense layer from block
/// <see cref="DenseNetOptions.FirstHyperBlock"/> on, and the classifier, become hyper layers.
/// </summary>
public sealed class DenseNetBC : Classifier
{
    private readonly DenseBlock[] blocks;
    private readonly Transition[] transitions;
    private readonly BatchNorm2d? finalNorm;
    private readonly ScalarBias? finalBiasAct;
    private readonly ScalarBias? finalBiasFc;
    private readonly HyperLinear? hyperFc;
    private readonly HyperInput? hyper;

    /// <summary>Builds the network; <paramref name="options"/> are validated first.</summary>
    public DenseNetBC(DenseNetOptions options, HyperInput? hyper = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var k = options.GrowthRate;
        var fixup = options.Norm == NormKind.None;
        var totalLayers = 3 * options.LayersPerBlock;
        var depthGain = fixup && options.FixupDepthRescale ? Math.Pow(totalLayers, -0.5) : 1.0;

        Stem = AddModule("stem", new Conv2d(options.InChannels, 2L * k, 3, padding: 1, bias: false));
        using (NoGrad.Enter())
        {
            // The stem feeds an MPELU through the first dense layer: Taylor init (§3.2).
            Stem.Weight.Value.NormalInPlace(0, Mpelu.TaylorStd(options.InChannels * 9L, options.MpeluAlpha, options.MpeluBeta));
        }

        blocks = new DenseBlock[3];
        transitions = new Transition[2];
        var channels = 2L * k;
        for (var b = 0; b < 3; b++)
        {
            var blockHyper = b + 1 >= options.FirstHyperBlock ? hyper : null;
            blocks[b] = AddModule($"block{b + 1}", new DenseBlock(channels, options, depthGain, blockHyper));
            if (b < 2)
            {
                transitions[b] = AddModule($"trans{b + 1}", new Transition(blocks[b].OutChannels, blocks[b].InChannels, options));
                channels = transitions[b].OutChannels;
            }
            else
            {
                channels = blocks[b].OutChannels;
            }
        }

        if (fixup) finalBiasAct = AddModule("final_bias_act", new ScalarBias());
        else finalNorm = AddModule("final_norm", new BatchNorm2d(channels));
        FinalAct = AddModule("final_act", new Mpelu(channels, options.MpeluAlpha, options.MpeluBeta));
        if (fixup) finalBiasFc = AddModule("final_bias_fc", new ScalarBias());
        this.hyper = hyper;
        if (hyper is null)
        {
            Fc = AddModule("fc", new Linear(channels, options.Classes));
        }
        else
        {
            hyperFc = AddModule("fc", new HyperLinear(channels, options.Classes, hyper.Count));
            Fc = hyperFc.Elementary;
        }

        if (fixup)
        {
            using (NoGrad.Enter())
            {
                Fc.Weight.Value.ZeroInPlace();   // Fixup rule 1: the classifier starts at 0
                Fc.Bias!.Value.ZeroInPlace();
            }
        }

        FeatureChannels = channels;
    }

    /// <summary>The shape this network was built with.</summary>
    public DenseNetOptions Options { get; }

    /// <inheritdoc />
    public override long Classes => Options.Classes;

    /// <summary>Channels entering the classifier.</summary>
    public long FeatureChannels { get; }

    /// <summary>3×3 stem conv (2k channels).</summary>
    public Conv2d Stem { get; }

    /// <summary>The three dense blocks.</summary>
    public IReadOnlyList<DenseBlock> Blocks => blocks;

    /// <summary>The two transitions.</summary>
    public IReadOnlyList<Transition> Transitions => transitions;

    /// <summary>Activation before global pooling.</summary>
    public Mpelu FinalAct { get; }

    /// <summary>The classifier (the elementary half when hyper).</summary>
    public Linear Fc { get; }

    /// <summary>Normalisation before <see cref="FinalAct"/> (batch norm only).</summary>
    public BatchNorm2d? FinalNorm => finalNorm;

    /// <summary>Fixup's scalar biases before the final activation and before the classifier (Fixup only).</summary>
    public (ScalarBias Act, ScalarBias Fc)? FinalFixupBiases => finalBiasAct is null ? null : (finalBiasAct, finalBiasFc!);

    /// <summary>The classifier as a hyper layer (self-tuning only); <see cref="Fc"/> is its elementary half.</summary>
    public HyperLinear? HyperFc => hyperFc;

    /// <summary>
    /// Called with (block index 0..2, new features (B, k, H, W)) for every dense layer; returns
    /// the features to concatenate. The STN's per-block dropout plugs in here.
    /// </summary>
    public Func<int, Tensor, Tensor>? NewFeatureHook { get; set; }

    /// <summary>Called with (transition index 0..1, output); lets tests and telemetry watch activation scale.</summary>
    public Action<int, Tensor>? TransitionObserver { get; set; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor images)
    {
        using var scope = TensorScope.Begin();
        var x = Stem.Forward(images);                                               // (B, 2k, H, W)
        for (var b = 0; b < 3; b++)
        {
            var block = b;
            x = blocks[b].Forward(x, NewFeatureHook is null ? null : h => NewFeatureHook(block, h));
            if (b < 2)
            {
                x = transitions[b].Forward(x);                                     // (B, θC, H/2, W/2)
                TransitionObserver?.Invoke(b, x);
            }
        }

        x = finalNorm is null ? finalBiasAct!.Forward(x) : finalNorm.Forward(x);
        x = FinalAct.Forward(x);
        var area = x.Shape[2] * x.Shape[3];
        x = Functional.AdaptiveAvgPool2d(x, 1, 1).Flatten(1);                      // (B, C)
        if (Options.NormPreservingPools) x *= Math.Sqrt(area);
        if (finalBiasFc is not null) x = finalBiasFc.Forward(x);
        var logits = hyperFc is null ? Fc.Forward(x) : hyperFc.Forward(x, hyper!.Current);
        return scope.Keep(logits);                                                  // (B, classes)
    }
}
