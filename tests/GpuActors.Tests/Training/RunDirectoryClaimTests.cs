using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// Runs started in the same second under one runs folder (two `hyperswarm train` side by side,
// a script's loop) must each get their own folder: sharing one, each overwrote the other's model.
public sealed class RunDirectoryClaimTests : IDisposable
{
    private readonly TempDirectory runs = new();

    [Fact]
    public void Runs_started_in_the_same_second_each_get_their_own_folder()
    {
        var now = new DateTimeOffset(2026, 12, 7, 3, 1, 44, TimeSpan.Zero);
        const int Runs = 16;
        using var start = new Barrier(Runs);
        var paths = new string[Runs];
        var threads = Enumerable.Range(0, Runs).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            paths[i] = RunDirectory.CreateUnder(runs.Path, now).Path;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(Runs, paths.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(paths, p => Path.GetFileName(p) == "20261207-030144");
        Assert.All(paths, p => Assert.True(File.Exists(Path.Combine(p, RunDirectory.ClaimFileName)), p));
    }

    [Fact]
    public void A_folder_an_older_run_left_without_a_claim_is_not_taken()
    {
        var now = new DateTimeOffset(2026, 12, 7, 3, 1, 44, TimeSpan.Zero);
        var older = Directory.CreateDirectory(Path.Combine(runs.Path, "20261207-030144")).FullName;
        File.WriteAllText(Path.Combine(older, "config.yaml"), "seed: 0\n");

        var fresh = RunDirectory.CreateUnder(runs.Path, now);

        Assert.Equal("20261207-030144-2", Path.GetFileName(fresh.Path));
        Assert.False(File.Exists(Path.Combine(older, RunDirectory.ClaimFileName)));
    }

    public void Dispose() => runs.Dispose();
}
