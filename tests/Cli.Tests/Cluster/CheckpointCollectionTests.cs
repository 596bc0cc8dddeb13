using Xunit.Abstractions;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// Disk use over a long run, made cheap: a tiny model checkpointing at every weight step, so a
/// run of a few hundred steps is a few hundred checkpoint cycles per member. What lies on disk
/// is sampled throughout; it must stay bounded, far below what was written. Real processes, as
/// launched by the recipes: the coordinator with its defaults.
/// </summary>
[Collection("cluster processes")] // one cluster at a time: they share the cores
public sealed class CheckpointCollectionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(90);
    private const int Population = 2;
    private const long Steps = 200;

    [Fact]
    public async Task On_shared_storage_the_coordinator_collects_by_default_and_disk_use_stays_bounded()
    {
        using var cluster = new ClusterRun(Population, totalSteps: Steps, checkpointEvery: 1);
        // Nothing about collection named but how often it may run (30 s by default: longer than this run).
        var coordinator = cluster.StartCoordinator("--collect-every", "1s");
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        cluster.StartWorker("w1", slots: Population, shared: true);

        var disk = await SampleUntilExitAsync(cluster.CheckpointsOf("shared"), coordinator, cluster);

        // Every member wrote a checkpoint per weight step, Steps of them; what stayed on disk at
        // any moment is a member's newest two, what it may still load, their lineage, and what
        // was written since the last pass (a pass at most every second).
        var written = Population * Steps;
        output.WriteLine($"written {written} checkpoints; on disk at most {disk.MaxFiles} files ({disk.MaxBytes} bytes), at the end {disk.LastFiles}");
        Assert.InRange(disk.MaxFiles, 1, written / 4);
        // The completed run's last pass leaves each member's newest two and what the outcome
        // and the lineage need.
        Assert.InRange(disk.LastFiles, Population, Population * 4);
        Assert.Contains(EventLog.Read(cluster), e => e.Kind == "run_completed");
    }

    [Fact]
    public async Task On_a_workers_own_disk_each_member_keeps_its_newest_three_checkpoints_without_the_coordinator()
    {
        // No exploits (ready never): an exploit's source must still exist when it is loaded,
        // which a checkpoint at every step would outrun (docs/worker.md).
        using var cluster = new ClusterRun(Population, totalSteps: Steps, readySteps: 100_000, checkpointEvery: 1);
        // The coordinator collects nothing here: the worker's own pruning alone is measured.
        var coordinator = cluster.StartCoordinator("--collect-checkpoints", "off");
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        cluster.StartWorker("w1", slots: Population);

        var disk = await SampleUntilExitAsync(cluster.CheckpointsOf("w1"), coordinator, cluster);

        output.WriteLine($"written {Population * Steps} checkpoints; on disk at most {disk.MaxFiles} files ({disk.MaxBytes} bytes), at the end {disk.LastFiles}");
        // The trainer prunes right after each save: for that moment a fourth file is there.
        Assert.InRange(disk.MaxPerMember, 3, 4);
        Assert.Equal(Population * 3, disk.LastFiles);
    }

    private sealed record DiskUse(int MaxFiles, long MaxBytes, int MaxPerMember, int LastFiles);

    // Samples the checkpoint files under root (every member's checkpoints/step-*.safetensors)
    // until the coordinator exits: the run completed.
    private static async Task<DiskUse> SampleUntilExitAsync(string root, ChildProcess coordinator, ClusterRun cluster)
    {
        var use = new DiskUse(0, 0, 0, 0);
        var deadline = DateTime.UtcNow + RunLimit;
        while (!coordinator.HasExited)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the run did not complete within {RunLimit}:\n{cluster.Outputs}");
            use = Sample(root, use);
            await Task.Delay(100); // the sampling period, not a wait for a signal
        }

        Assert.True(await coordinator.WaitForExitAsync(SignalLimit) == 0, cluster.Outputs);
        var last = Sample(root, use);
        return last with { LastFiles = Files(root).Count };
    }

    private static DiskUse Sample(string root, DiskUse soFar)
    {
        var files = Files(root);
        var bytes = files.Sum(f => f.Exists ? f.Length : 0);
        var perMember = files.GroupBy(f => f.Directory!.Parent!.Name).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        return new DiskUse(Math.Max(soFar.MaxFiles, files.Count), Math.Max(soFar.MaxBytes, bytes), Math.Max(soFar.MaxPerMember, perMember), files.Count);
    }

    private static List<FileInfo> Files(string root)
    {
        if (!Directory.Exists(root)) return [];
        try
        {
            return [.. new DirectoryInfo(root).EnumerateFiles("step-*.safetensors", SearchOption.AllDirectories)];
        }
        catch (DirectoryNotFoundException)
        {
            return []; // a folder removed while listed
        }
    }
}
