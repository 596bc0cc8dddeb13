using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class DataSplitTests
{
    [Fact]
    public void Default_split_holds_out_15_percent()
    {
        var split = DataSplit.Carve(60000);

        Assert.Equal(9000, split.Validation.Count);
        Assert.Equal(51000, split.Train.Count);
    }

    [Fact]
    public void Train_and_validation_partition_the_training_set()
    {
        var split = DataSplit.Carve(1000, validationFraction: 0.2, seed: 3);

        Assert.Equal(200, split.Validation.Count);
        Assert.Empty(split.Train.Intersect(split.Validation));
        Assert.Equal(Enumerable.Range(0, 1000), split.Train.Concat(split.Validation).Order());
    }

    [Fact]
    public void Same_seed_gives_the_same_split_and_another_seed_a_different_one()
    {
        var a = DataSplit.Carve(5000, seed: 7);
        var b = DataSplit.Carve(5000, seed: 7);
        var c = DataSplit.Carve(5000, seed: 8);

        Assert.Equal(a.Validation, b.Validation);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Validation, c.Validation);
    }

    [Fact]
    public void Validation_is_a_random_sample_not_a_block()
    {
        var split = DataSplit.Carve(10000, seed: 1);

        // A contiguous block (e.g. the last 15 %) would leave the first half empty.
        var inFirstHalf = split.Validation.Count(i => i < 5000);
        Assert.InRange(inFirstHalf, 650, 850);
    }

    [Fact]
    public void Zero_fraction_keeps_every_example_for_training()
    {
        var split = DataSplit.Carve(10, validationFraction: 0);

        Assert.Empty(split.Validation);
        Assert.Equal(Enumerable.Range(0, 10), split.Train);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Fraction_outside_zero_to_one_is_refused(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSplit.Carve(10, fraction));
}
