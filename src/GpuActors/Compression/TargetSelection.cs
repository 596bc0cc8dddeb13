namespace HyperSwarm.GpuActors.Compression;

/// <summary>
/// The candidates of targeted dropout and magnitude pruning (ALGORITHMS §6), one home for the
/// ranking both use, on host copies of a layer's weights (O, fan-in) row-major: per unit the
/// ⌊γ·fan-in⌋ weights of smallest magnitude, or per layer the ⌊γ·O⌋ units of smallest L2 norm.
/// Counts are exact (ties broken by position), so a proportion γ ≤ 0.99 always leaves every
/// unit at least one weight and every layer at least one unit.
/// </summary>
public static class TargetSelection
{
    /// <summary>Highest targeting proportion: ⌊0.99·n⌋ &lt; n for every n ≥ 1, so nothing is ever emptied.</summary>
    public const double MaxProportion = 0.99;

    /// <summary>True for each of the ⌊γ·fan-in⌋ smallest-magnitude weights of every unit; <paramref name="weights"/> is (units, fan-in).</summary>
    public static bool[] WeightCandidates(ReadOnlySpan<float> weights, int units, double gamma)
    {
        CheckProportion(gamma);
        if (units < 1 || weights.Length % units != 0) throw new ArgumentException($"{weights.Length} weights do not split into {units} units.", nameof(units));
        var fanIn = weights.Length / units;
        var count = (int)Math.Floor(gamma * fanIn);
        var candidates = new bool[weights.Length];
        var order = new int[fanIn];
        var magnitude = new float[fanIn];
        for (var u = 0; u < units; u++)
        {
            var row = weights.Slice(u * fanIn, fanIn);
            for (var i = 0; i < fanIn; i++)
            {
                order[i] = i;
                magnitude[i] = Math.Abs(row[i]);
            }

            Array.Sort(magnitude, order); // stable enough: equal magnitudes keep no promise of order, only the count matters
            for (var i = 0; i < count; i++) candidates[u * fanIn + order[i]] = true;
        }

        return candidates;
    }

    /// <summary>True for each of the ⌊γ·units⌋ units of smallest L2 norm; <paramref name="weights"/> is (units, fan-in).</summary>
    public static bool[] UnitCandidates(ReadOnlySpan<float> weights, int units, double gamma) => UnitCandidates(Norms(weights, units), gamma);

    /// <summary>True for each of the ⌊γ·units⌋ units whose <paramref name="norms"/> are smallest.</summary>
    public static bool[] UnitCandidates(double[] norms, double gamma)
    {
        ArgumentNullException.ThrowIfNull(norms);
        CheckProportion(gamma);
        var count = (int)Math.Floor(gamma * norms.Length);
        var order = Enumerable.Range(0, norms.Length).OrderBy(u => norms[u]).ThenBy(u => u).ToArray();
        var candidates = new bool[norms.Length];
        for (var i = 0; i < count; i++) candidates[order[i]] = true;
        return candidates;
    }

    /// <summary>Each unit's L2 norm; <paramref name="weights"/> is (units, fan-in).</summary>
    public static double[] Norms(ReadOnlySpan<float> weights, int units)
    {
        if (units < 1 || weights.Length % units != 0) throw new ArgumentException($"{weights.Length} weights do not split into {units} units.", nameof(units));
        var fanIn = weights.Length / units;
        var norms = new double[units];
        for (var u = 0; u < units; u++)
        {
            var sum = 0.0;
            foreach (var w in weights.Slice(u * fanIn, fanIn)) sum += (double)w * w;
            norms[u] = Math.Sqrt(sum);
        }

        return norms;
    }

    private static void CheckProportion(double gamma)
    {
        if (!(gamma >= 0 && gamma <= MaxProportion)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"a targeting proportion lies in [0, {MaxProportion}].");
    }
}
