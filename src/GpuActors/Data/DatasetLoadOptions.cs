namespace HyperSwarm.GpuActors.Data;

/// <summary>How <see cref="DatasetCatalog.Load(string, DatasetLoadOptions)"/> reads a dataset; everything but the CIFAR-100 labels is for image folders.</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>For CIFAR-100, whether to use the fine or the coarse labels.</summary>
    public CifarLabel Cifar100Label { get; init; } = CifarLabel.Fine;

    /// <summary>The input side (<c>data.image_size</c>); null to choose it from the images (<see cref="ImageSizeRule"/>).</summary>
    public int? ImageSize { get; init; }

    /// <summary>
    /// Repeat this preprocessing (a model's, for <c>eval</c>): its size, channels and test
    /// split rule instead of ones chosen from the data. Overrides <see cref="ImageSize"/>.
    /// </summary>
    public ImagePreprocessing? Preprocessing { get; init; }

    /// <summary>
    /// Label images by these names (a model's classes): every class folder must be one of them.
    /// Null: the folder's own sorted class names, and the folder must be able to train a
    /// classifier (two classes or more, each with a usable image).
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Where decoded image folders are cached (<see cref="ImageFolderCache.DefaultDirectory"/>).</summary>
    public string CacheDirectory { get; init; } = ImageFolderCache.DefaultDirectory();

    /// <summary>Told how decoding goes, from the decoding threads (one call at a time); null for nobody.</summary>
    public Action<ImageDecodeProgress>? Progress { get; init; }

    /// <summary>One-line notices (a damaged or unwritable cache); null to drop them.</summary>
    public Action<string>? Notice { get; init; }
}
