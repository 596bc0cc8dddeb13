using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class StratifiedHoldoutTests
{
    [Theory]
    [InlineData(1, 0)]   // a lone image stays in training
    [InlineData(2, 1)]   // at least one held out…
    [InlineData(3, 1)]
    [InlineData(20, 3)]  // round(20 · 0.15)
    [InlineData(100, 15)]
    public void Each_class_holds_out_its_share_but_never_all(int classSize, int held) =>
        Assert.Equal(held, StratifiedHoldout.Count(classSize, 0.15));

    [Fact]
    public void A_class_of_two_at_a_large_fraction_still_keeps_one() =>
        Assert.Equal(1, StratifiedHoldout.Count(2, 0.9));

    [Fact]
    public void The_stratified_carve_holds_out_the_same_share_of_every_class()
    {
        // Uneven classes: 60, 30 and 10 examples, interleaved.
        var labels = Enumerable.Range(0, 100).Select(i => i < 60 ? 0L : i < 90 ? 1L : 2L).OrderBy(l => l * 7919 % 13).ToArray();

        var split = DataSplit.CarveStratified(labels, 0.2, seed: 4);

        Assert.Equal([12, 6, 2], Enumerable.Range(0, 3).Select(c => split.Validation.Count(i => labels[i] == c)));
        Assert.Equal(100, split.Train.Count + split.Validation.Count);
        Assert.Empty(split.Train.Intersect(split.Validation));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var labels = Enumerable.Range(0, 200).Select(i => (long)(i % 4)).ToArray();

        var a = DataSplit.CarveStratified(labels, 0.15, seed: 1);
        var b = DataSplit.CarveStratified(labels, 0.15, seed: 1);
        var c = DataSplit.CarveStratified(labels, 0.15, seed: 2);

        Assert.Equal(a.Validation, b.Validation);
        Assert.NotEqual(a.Validation, c.Validation);
    }

    [Fact]
    public void The_path_rank_is_stable_text_hashing_not_the_process_string_hash()
    {
        // Fixed values: a changed hash would move every image folder's test split.
        Assert.Equal(1547258078L, StratifiedHoldout.Rank(20, "cat/001.jpg")); // FNV-1a 64 of the UTF-8 bytes, then SplitMix64 with the seed
        Assert.NotEqual(StratifiedHoldout.Rank(20, "cat/001.jpg"), StratifiedHoldout.Rank(20, "cat/002.jpg"));
        Assert.NotEqual(StratifiedHoldout.Rank(20, "cat/001.jpg"), StratifiedHoldout.Rank(21, "cat/001.jpg"));
    }

    [Fact]
    public void A_fixed_split_holds_out_exactly_the_named_examples()
    {
        var split = DataSplit.Fixed(5, [3, 1]);

        Assert.Equal([1, 3], split.Validation);
        Assert.Equal([0, 2, 4], split.Train);
    }
}
