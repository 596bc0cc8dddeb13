namespace HyperSwarm.GpuActors.Training;

/// <summary>The network: DenseNet-BC (default) or the small CNN.</summary>
public sealed record ModelConfig
{
    /// <summary>Model names <see cref="Kind"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["densenet-bc", "small-cnn"];

    /// <summary><c>densenet-bc</c> or <c>small-cnn</c>.</summary>
    public string Kind { get; init; } = "densenet-bc";

    /// <summary>
    /// DenseNet-BC depth (6n + 4). 16 by default: on a 2-core CPU it trains about six epochs of
    /// Fashion-MNIST in the default 15 minutes with self-tuning on (DenseNet-BC-40 manages under
    /// two); pick 40 or more on a GPU.
    /// </summary>
    public int Depth { get; init; } = 16;

    /// <summary>DenseNet-BC growth rate k.</summary>
    public int GrowthRate { get; init; } = 12;

    /// <summary>Bottleneck width as a multiple of k.</summary>
    public int BottleneckWidth { get; init; } = 4;

    /// <summary>Channel compression at each transition.</summary>
    public double Compression { get; init; } = 0.5;

    /// <summary><c>none</c> (Fixup-Dense, default) or <c>batch</c>.</summary>
    public string Norm { get; init; } = "none";

    /// <summary>
    /// With self-tuning, the first DenseNet-BC block (1–3) whose layers are hyper layers; the
    /// blocks before it are plain and every hyperparameter's response reaches the loss through
    /// the later blocks and the classifier. 2 by default: block 1 runs at full resolution, so
    /// its hyper convs cost most (DenseNet-BC-16 on the CPU: an STN weight step 1.25× a plain
    /// one with every block, 1.12× from block 2; a hyper step 0.8× → 0.45×, as its backward
    /// pass now stops at block 2). 1 is the STN paper's every-layer form.
    /// </summary>
    public int FirstHyperBlock { get; init; } = 2;

    internal void Validate()
    {
        if (!Kinds.Contains(Kind)) throw new ArgumentException($"model.kind must be one of {string.Join(", ", Kinds)}, got '{Kind}'.");
        if (Norm is not ("none" or "batch")) throw new ArgumentException($"model.norm must be none or batch, got '{Norm}'.");
        if (Kind == "densenet-bc" && (Depth < 10 || (Depth - 4) % 6 != 0)) throw new ArgumentException($"model.depth must be 6n + 4 with n ≥ 1 for DenseNet-BC, got {Depth}.");
        if (FirstHyperBlock is < 1 or > 3) throw new ArgumentException($"model.first_hyper_block must be 1, 2 or 3, got {FirstHyperBlock}.");
        if (GrowthRate < 1) throw new ArgumentException($"model.growth_rate must be at least 1, got {GrowthRate}.");
        if (BottleneckWidth < 1) throw new ArgumentException($"model.bottleneck_width must be at least 1, got {BottleneckWidth}.");
        if (!(Compression > 0 && Compression <= 1)) throw new ArgumentException($"model.compression must lie in (0, 1], got {Compression}.");
    }
}
