namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// DenseNet-BC shape (ALGORITHMS §5): three dense blocks of (depth − 4)/6 bottleneck layers,
/// growth k, bottleneck width 4k, compression θ, stem of 2k channels.
/// </summary>
public sealed record DenseNetOptions
{
    /// <summary>Total depth L; (L − 4) must be divisible by 6 (BC: two convs per layer, three blocks).</summary>
    public int Depth { get; init; } = 40;

    /// <summary>Growth rate k: channels each dense layer adds.</summary>
    public int GrowthRate { get; init; } = 12;

    /// <summary>Bottleneck 1×1 conv width as a multiple of k (4 in DenseNet-B).</summary>
    public int BottleneckWidth { get; init; } = 4;

    /// <summary>Transition compression θ (0.5 in DenseNet-C).</summary>
    public double Compression { get; init; } = 0.5;

    /// <summary>none (Fixup-Dense, the default) or batch.</summary>
    public NormKind Norm { get; init; } = NormKind.None;

    /// <summary>Image channels (1 for Fashion-MNIST, 3 for CIFAR).</summary>
    public int InChannels { get; init; } = 1;

    /// <summary>Number of classes.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>MPELU α at init (§3.1: 0.25 in the PyTorch module).</summary>
    public double MpeluAlpha { get; init; } = 0.25;

    /// <summary>MPELU β at init.</summary>
    public double MpeluBeta { get; init; } = 1.0;

    /// <summary>
    /// Fixup's depth rescale L^(−1/2) on the bottleneck convs (§4.4 step 3): an ablation, off by
    /// default because fan-in normalisation of the concatenation already bounds the per-step change.
    /// </summary>
    public bool FixupDepthRescale { get; init; }

    /// <summary>
    /// Norm-preserving pooling for AGD's dimensional scaling (ALGORITHMS §2.1 assumes
    /// ‖x_k‖ = √d_k at every layer): average pools multiply by √(pool area), so a pool over
    /// uncorrelated positions keeps the feature norm instead of shrinking it by √area.
    /// </summary>
    public bool NormPreservingPools { get; init; }

    /// <summary>
    /// Given hyperparameter input, the first block (1–3) whose layers get hyper convs; earlier
    /// blocks are plain. 1 (every block) is ALGORITHMS §1.2's form; the classifier is always a
    /// hyper layer.
    /// </summary>
    public int FirstHyperBlock { get; init; } = 1;

    /// <summary>Dense layers per block.</summary>
    public int LayersPerBlock => (Depth - 4) / 6;

    /// <summary>Throws one clear sentence for an impossible shape.</summary>
    public void Validate()
    {
        if (Depth < 10 || (Depth - 4) % 6 != 0)
            throw new ArgumentException($"DenseNet-BC depth must be 6n + 4 with n ≥ 1 (e.g. 40, 100), got {Depth}.");
        if (GrowthRate < 1) throw new ArgumentException($"growth rate must be at least 1, got {GrowthRate}.");
        if (BottleneckWidth < 1) throw new ArgumentException($"bottleneck width must be at least 1, got {BottleneckWidth}.");
        if (Compression is <= 0 or > 1) throw new ArgumentException($"compression must be in (0, 1], got {Compression}.");
        if (InChannels < 1 || Classes < 2) throw new ArgumentException($"need at least 1 input channel and 2 classes, got {InChannels} and {Classes}.");
        if (FirstHyperBlock is < 1 or > 3) throw new ArgumentException($"the first hyper block must be 1, 2 or 3, got {FirstHyperBlock}.");
        if (MpeluAlpha < 0 || MpeluBeta <= 0) throw new ArgumentException($"MPELU needs α ≥ 0 and β > 0, got {MpeluAlpha} and {MpeluBeta}.");
    }
}
