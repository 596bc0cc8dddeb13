namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Every usable image of an image folder, decoded once: what the cache file holds and what the
/// splits are assembled from (<see cref="ImageFolderSets"/>).
/// </summary>
internal sealed class DecodedImageFolder
{
    /// <summary>The class folder names, sorted ordinally; a label is an index into them.</summary>
    public required IReadOnlyList<string> Classes { get; init; }

    /// <summary>(C, S, S) of every image: one channel when every image was gray, else three.</summary>
    public required ImageShape Shape { get; init; }

    /// <summary>Pixels, (N, C, S, S) row-major.</summary>
    public required byte[] Pixels { get; init; }

    /// <summary>The N images, sorted by relative path.</summary>
    public required IReadOnlyList<DecodedImage> Images { get; init; }

    /// <summary>The files that were not used, and why.</summary>
    public required IReadOnlyList<SkippedFile> Skipped { get; init; }
}
