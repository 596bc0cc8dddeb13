using HyperSwarm.Cli.Worker;

namespace HyperSwarm.Cli.Tests.Worker;

public sealed class MemberSeedTests
{
    [Fact]
    public void Members_of_one_run_get_different_seeds()
    {
        var seeds = Enumerable.Range(0, 64).Select(i => MemberSeed.Derive(3, $"m{i:D2}")).ToList();

        Assert.Equal(seeds.Count, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.True(s >= 0));
    }

    [Fact]
    public void A_member_gets_the_same_seed_every_time_and_another_under_another_run_seed()
    {
        var first = MemberSeed.Derive(3, "m07");

        Assert.Equal(first, MemberSeed.Derive(3, "m07"));    // any worker, any restart
        Assert.NotEqual(first, MemberSeed.Derive(4, "m07")); // the run's seed still matters
        Assert.Equal(1_305_531_414, MemberSeed.Derive(0, "m00")); // stable across processes and platforms, not string.GetHashCode
    }
}
