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
        // Stable across processes and platforms (not string.GetHashCode): what coreutils' sha256sum
        // makes of "0/m00", first four bytes little-endian, sign bit cleared.
        Assert.Equal(Sha256SumSeed("0/m00"), MemberSeed.Derive(0, "m00"));
        Assert.Equal(Sha256SumSeed("3/m07"), first);
    }

    private static int Sha256SumSeed(string text)
    {
        var info = new System.Diagnostics.ProcessStartInfo("sha256sum") { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        var hex = process.StandardOutput.ReadToEnd()[..8];
        process.WaitForExit();
        var bytes = Convert.FromHexString(hex);
        return (int)((uint)(bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24) & int.MaxValue);
    }
}
