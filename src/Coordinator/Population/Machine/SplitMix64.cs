namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter passed through a mixing function.
/// Its whole state is one <c>ulong</c>, which is why the population uses it: the state fits in
/// the snapshot and replay continues the exact sequence. Not for cryptography.
/// </summary>
public sealed class SplitMix64(ulong state) : IRandom
{
    /// <inheritdoc />
    public ulong State { get; private set; } = state;

    /// <inheritdoc />
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53)); // top 53 bits: every double in [0, 1) on a 2⁻⁵³ grid

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        State += 0x9E3779B97F4A7C15UL;
        var z = State;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
