namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Holds out the same share of every class (image folders: classes are often small and uneven,
/// and a plain random carve can leave a class out of validation or test altogether).
/// </summary>
internal static class StratifiedHoldout
{
    /// <summary>
    /// How many of a class of <paramref name="classSize"/> are held out: round(n·fraction), but
    /// at least one and never all, so a class of two or more is both trained on and measured.
    /// A single image stays in training.
    /// </summary>
    public static int Count(int classSize, double fraction) =>
        classSize < 2 ? 0 : Math.Clamp((int)Math.Round(classSize * fraction, MidpointRounding.AwayFromZero), 1, classSize - 1);

    /// <summary>
    /// Marks the held-out examples: in each class, the <see cref="Count"/> examples with the
    /// lowest <paramref name="rank"/> (ties by index), so any deterministic rank gives a
    /// deterministic split.
    /// </summary>
    public static bool[] Pick(IReadOnlyList<long> labels, double fraction, Func<int, long> rank)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rank);
        var held = new bool[labels.Count];
        var byClass = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]);
        foreach (var members in byClass)
        {
            var ranked = members.Select(i => (Rank: rank(i), Index: i)).Order().ToArray();
            for (var k = 0; k < Count(ranked.Length, fraction); k++) held[ranked[k].Index] = true;
        }

        return held;
    }

    /// <summary>
    /// A hash of <paramref name="text"/> that is the same in every process and version (string
    /// hashes in .NET are randomised per process): FNV-1a over the UTF-8 bytes, then mixed
    /// with <paramref name="seed"/>.
    /// </summary>
    public static long Rank(int seed, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        unchecked
        {
            var hash = 0xCBF29CE484222325UL;
            foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
            {
                hash = (hash ^ b) * 0x100000001B3UL;
            }

            return Seeds.Mix(seed, (long)hash);
        }
    }
}
