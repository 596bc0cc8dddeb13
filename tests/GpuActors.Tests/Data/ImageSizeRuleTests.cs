using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class ImageSizeRuleTests
{
    [Theory]
    [InlineData(new[] { 28, 30, 200 }, 32)]      // median 30, rounded to a multiple of 4
    [InlineData(new[] { 40, 42, 44, 46 }, 44)]   // even count: the mean of the middle two, 43 → 44
    [InlineData(new[] { 5, 6, 7 }, 16)]          // clamped up
    [InlineData(new[] { 500, 4000, 3000 }, 64)]  // clamped down: photos still train on two cores
    [InlineData(new[] { 49 }, 48)]
    public void The_median_shorter_side_is_rounded_to_a_multiple_of_4_and_clamped(int[] sides, int expected) =>
        Assert.Equal(expected, ImageSizeRule.Choose(sides));
}
