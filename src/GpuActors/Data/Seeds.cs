namespace HyperSwarm.GpuActors.Data;

/// <summary>Derives independent seeds from a base seed and a counter (epoch, batch).</summary>
internal static class Seeds
{
    /// <summary>
    /// A well-spread 31-bit seed for (<paramref name="seed"/>, <paramref name="counter"/>):
    /// the SplitMix64 finaliser, so neighbouring counters give unrelated streams.
    /// </summary>
    public static int Mix(int seed, long counter)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) ^ (ulong)counter;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }
}
