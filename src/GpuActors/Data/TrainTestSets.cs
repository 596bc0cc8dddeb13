namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A dataset as distributed: the training set (from which validation is carved, see
/// <see cref="DataSplit"/>) and the test set, which only the final evaluation reads.
/// </summary>
public sealed record TrainTestSets(string Name, ImageDataset Train, ImageDataset Test)
{
    /// <summary>Class names, index = label; null when the dataset does not name them (IDX, CIFAR: see <c>ClassNames.For</c>).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>How files became pixels (image folders); null for datasets stored as pixels.</summary>
    public ImagePreprocessing? Preprocessing { get; init; }

    /// <summary>The validation examples the dataset itself names (an image folder's <c>val/</c>), as indices into <see cref="Train"/>; null to carve them.</summary>
    public IReadOnlyList<int>? Validation { get; init; }

    /// <summary>
    /// Whether validation is carved per class (image folders: small, uneven classes). IDX and
    /// CIFAR keep the plain seeded carve, so runs written before it resume on the same split.
    /// </summary>
    public bool Stratified { get; init; }

    /// <summary>Files that could not be used, and why (image folders).</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; init; } = [];

    /// <summary>
    /// The training/validation split: the dataset's own when it names one, else carved
    /// (stratified or not, see <see cref="Stratified"/>) with <paramref name="validationFraction"/>
    /// and <paramref name="seed"/>.
    /// </summary>
    public DataSplit Split(double validationFraction, int seed)
    {
        if (Validation is not null) return DataSplit.Fixed(Train.Count, Validation);
        if (!Stratified) return DataSplit.Carve(Train.Count, validationFraction, seed);
        var split = DataSplit.CarveStratified(Train.Labels, validationFraction, seed);
        if (split.Validation.Count == 0)
        {
            throw new DataFormatException(Name,
                "it has too few images to hold some out for validation; give at least one class three usable images (or add a val/ folder)");
        }

        return split;
    }
}
