namespace HyperSwarm.GpuActors.Training;

/// <summary>Where the images come from and how they are split.</summary>
public sealed record DataConfig
{
    /// <summary>The Debian package's Fashion-MNIST; the installer puts it there.</summary>
    public const string DefaultPath = "/usr/share/datasets/fashion-mnist";

    /// <summary>A directory holding IDX (MNIST / Fashion-MNIST) or CIFAR binary files, or one subfolder of images per class.</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>The smallest <see cref="ImageSize"/>.</summary>
    public const int MinImageSize = 8;

    /// <summary>The largest <see cref="ImageSize"/>.</summary>
    public const int MaxImageSize = 256;

    /// <summary>The fraction of the training files held out for hyper steps and model selection.</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>Use only the first N training examples (after the seeded split); null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>
    /// Image folders: the side every image is resized (and centre-cropped) to; null to choose it
    /// from the images (the median shorter side, a multiple of 4 in [16, 64]). IDX and CIFAR
    /// images keep their size.
    /// </summary>
    public int? ImageSize { get; init; }

    /// <summary>Examples per training batch.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Examples per evaluation batch (no backward pass, so larger is cheaper).</summary>
    public int EvalBatchSize { get; init; } = 256;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("data.path is empty.");
        if (!(ValidationFraction > 0 && ValidationFraction < 1)) throw new ArgumentException($"data.validation_fraction must lie in (0, 1), got {ValidationFraction}.");
        if (TrainLimit is { } n && n < 1) throw new ArgumentException($"data.train_limit must be at least 1, got {n}.");
        if (ImageSize is { } side && (side < MinImageSize || side > MaxImageSize || side % 4 != 0))
        {
            throw new ArgumentException($"data.image_size must be null (chosen from the images) or a multiple of 4 from {MinImageSize} to {MaxImageSize}, got {side}.");
        }

        if (BatchSize < 1) throw new ArgumentException($"data.batch_size must be at least 1, got {BatchSize}.");
        if (EvalBatchSize < 1) throw new ArgumentException($"data.eval_batch_size must be at least 1, got {EvalBatchSize}.");
    }
}
