using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

// The augmenter's generator is reseeded for every batch: it must repeat a stream exactly from
// a seed, keep Random's ranges, and reseed without allocating.
public sealed class ReseedableRandomTests
{
    [Fact]
    public void Reseeding_repeats_the_stream_and_other_seeds_differ()
    {
        var rng = new ReseedableRandom(1);
        var first = Draw(rng);
        rng.Reseed(2);
        var other = Draw(rng);
        rng.Reseed(1);

        Assert.Equal(first, Draw(rng));
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Draws_stay_in_randoms_ranges_and_reach_every_integer()
    {
        var rng = new ReseedableRandom(3);
        var ints = Enumerable.Range(0, 2000).Select(_ => rng.Next(-2, 3)).ToHashSet();
        var singles = Enumerable.Range(0, 2000).Select(_ => rng.NextSingle()).ToList();

        Assert.Equal([-2, -1, 0, 1, 2], ints.Order());
        Assert.All(singles, s => Assert.InRange(s, 0f, 0.99999994f));
        Assert.InRange(singles.Average(), 0.45, 0.55);
        Assert.Equal(0, rng.Next(0));
        Assert.Equal(7, rng.Next(7, 7));
    }

    [Fact]
    public void Reseeding_allocates_nothing()
    {
        var rng = new ReseedableRandom(0);
        rng.Reseed(1); // JIT the call first
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var seed = 0; seed < 1000; seed++) rng.Reseed(seed);

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static List<int> Draw(ReseedableRandom rng) => Enumerable.Range(0, 20).Select(_ => rng.Next(1000)).ToList();
}
