using HyperSwarm.GpuActors.Compression;

namespace HyperSwarm.GpuActors.Tests.Compression;

public sealed class TargetSelectionTests
{
    [Fact]
    public void Weight_candidates_are_the_smallest_magnitudes_of_each_unit()
    {
        // Two units of four weights; γ = 0.5 targets two per unit, whatever their sign.
        float[] w = [0.9f, -0.1f, 0.3f, 0.05f, /* unit 2 */ -2f, 1f, -0.5f, 0.7f];

        var candidates = TargetSelection.WeightCandidates(w, units: 2, gamma: 0.5);

        Assert.Equal([false, true, false, true, false, false, true, true], candidates);
    }

    [Fact]
    public void Unit_candidates_are_the_units_of_smallest_norm()
    {
        // Norms 5, 1, 3, 0: γ = 0.5 targets units 3 and 1.
        float[] w = [3f, 4f, 1f, 0f, 0f, -3f, 0f, 0f];

        var candidates = TargetSelection.UnitCandidates(w, units: 4, gamma: 0.5);

        Assert.Equal([false, true, false, true], candidates);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    public void The_highest_proportion_still_leaves_one_weight_and_one_unit(int size)
    {
        var w = Enumerable.Range(1, size * size).Select(i => (float)i).ToArray();

        Assert.All(Enumerable.Range(0, size), u => Assert.Contains(false, TargetSelection.WeightCandidates(w, size, 0.99).Skip(u * size).Take(size)));
        Assert.Contains(false, TargetSelection.UnitCandidates(w, size, 0.99));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(0.995)]
    [InlineData(double.NaN)]
    public void A_proportion_outside_0_to_099_is_refused(double gamma) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TargetSelection.UnitCandidates([1f, 2f], 2, gamma));
}
