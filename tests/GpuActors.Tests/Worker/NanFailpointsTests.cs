using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.GpuActors.Tests.Worker;

public sealed class NanFailpointsTests
{
    [Fact]
    public void Each_named_member_fires_once_at_or_after_its_step_and_others_never()
    {
        var failpoints = NanFailpoints.Parse(" nan:m01@30, nan:m-2@5 ");

        Assert.Equal(new Dictionary<string, long> { ["m01"] = 30, ["m-2"] = 5 }, failpoints.AtStep);
        Assert.False(failpoints.TryFire("m01", 29));
        Assert.True(failpoints.TryFire("m01", 32));
        Assert.False(failpoints.TryFire("m01", 40)); // once per process: a restored member is not poisoned again
        Assert.True(failpoints.TryFire("m-2", 5));
        Assert.False(failpoints.TryFire("m00", 1_000));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_means_none(string? text) => Assert.Empty(NanFailpoints.Parse(text).AtStep);

    [Theory]
    [InlineData("nan:m01")]
    [InlineData("nan:m01@x")]
    [InlineData("nan:@30")]
    [InlineData("inf:m01@30")]
    [InlineData("nan:../m01@30")]
    [InlineData("nan:m01@-3")]
    public void A_malformed_entry_is_refused_in_one_sentence_naming_it(string text)
    {
        var e = Assert.Throws<FormatException>(() => NanFailpoints.Parse(text));

        Assert.Equal($"HYPERSWARM_FAILPOINTS: '{text}' is not nan:MEMBER@STEP (e.g. nan:m01@30).", e.Message);
    }
}
