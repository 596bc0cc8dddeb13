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

    /// <summary>
    /// Holds out the same share of every class (<see cref="StratifiedHoldout"/>): in each class
    /// of <paramref name="labels"/>, round(n · <paramref name="validationFraction"/>) examples (at
    /// least one of a class of two or more), ranked by a hash of <paramref name="seed"/> and the
    /// index. The same seed always gives the same split.
    /// </summary>
    public static DataSplit CarveStratified(IReadOnlyList<long> labels, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in (0, 1).");
        }

        return FromMask(StratifiedHoldout.Pick(labels, validationFraction, i => Seeds.Mix(seed, i)));
    }

    /// <summary>The split a dataset prescribes: <paramref name="validation"/> held out of <paramref name="count"/> examples.</summary>
    public static DataSplit Fixed(int count, IEnumerable<int> validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        var held = new bool[count];
        foreach (var i in validation) held[i] = true;
        return FromMask(held);
    }

    private static DataSplit FromMask(bool[] held)
    {
        var indices = Enumerable.Range(0, held.Length);
        return new DataSplit([.. indices.Where(i => !held[i])], [.. indices.Where(i => held[i])]);
    }
}
