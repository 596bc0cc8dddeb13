namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A deterministic partition of a training set into the examples the weights train on and the
/// held-out validation examples the hyper steps use (ALGORITHMS §1.5; pomonam holds out 15 %).
/// The test set is never part of a split. Indices refer to the training <see cref="ImageDataset"/>.
/// </summary>
public sealed class DataSplit
{
    /// <summary>The validation fraction pomonam's STN examples use.</summary>
    public const double DefaultValidationFraction = 0.15;

    private DataSplit(int[] train, int[] validation)
    {
        Train = train;
        Validation = validation;
    }

    /// <summary>Training indices, ascending.</summary>
    public IReadOnlyList<int> Train { get; }

    /// <summary>Validation indices, ascending.</summary>
    public IReadOnlyList<int> Validation { get; }

    /// <summary>
    /// Holds out round(<paramref name="count"/> · <paramref name="validationFraction"/>) examples chosen by a
    /// permutation seeded with <paramref name="seed"/>: the same seed always gives the same split.
    /// </summary>
    public static DataSplit Carve(int count, double validationFraction = DefaultValidationFraction, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(validationFraction >= 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in [0, 1).");
        }

        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        new Random(seed).Shuffle(order);

        var validationCount = (int)Math.Round(count * validationFraction, MidpointRounding.AwayFromZero);
        var validation = order[..validationCount];
        var train = order[validationCount..];
        // Ascending order makes gathers walk memory forwards; loaders shuffle per epoch anyway.
        Array.Sort(validation);
        Array.Sort(train);
        return new DataSplit(train, validation);
    }
}
