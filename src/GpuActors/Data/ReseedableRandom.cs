namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A <see cref="Random"/> that can restart from a new seed in place (SplitMix64). The loader
/// reseeds its augmenter for every batch so resumed runs draw as uninterrupted ones; a fresh
/// <c>new Random(seed)</c> per batch allocated about 340 bytes each time (its seed table),
/// breaking the loader's no-allocation steady state.
/// </summary>
internal sealed class ReseedableRandom : Random
{
    private ulong state;

    public ReseedableRandom(int seed) => Reseed(seed);

    /// <summary>Restarts the stream from <paramref name="seed"/>.</summary>
    public void Reseed(int seed) => state = (ulong)(uint)seed;

    public override int Next() => Next(int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)Below((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)Below((ulong)((long)maxValue - minValue)));
    }

    public override double NextDouble() => Sample();

    public override float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    protected override double Sample() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    // [0, range) for range < 2³²: the top 32 bits scaled (bias below range / 2³², irrelevant here).
    private ulong Below(ulong range) => ((NextUInt64() >> 32) * range) >> 32;

    private ulong NextUInt64()
    {
        unchecked
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
