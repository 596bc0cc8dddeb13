using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class CheckpointDirectoryTests
{
    [Fact]
    public void File_names_carry_the_step_in_nine_digits()
    {
        Assert.Equal("step-000001200.safetensors", CheckpointDirectory.FileName(1200));
    }

    [Fact]
    public async Task Checkpoints_are_listed_by_step_ignoring_other_files()
    {
        using var dir = new TempDirectory();
        var run = new CheckpointDirectory(dir.Path);
        foreach (var step in new[] { 300L, 20, 1_000_000_000 }) await run.SaveAsync(Samples.Content(step), CancellationToken.None);
        await File.WriteAllTextAsync(dir.File("notes.txt"), "x");
        await File.WriteAllTextAsync(dir.File("step-abc.safetensors"), "x");
        await File.WriteAllTextAsync(dir.File(".tmp-step-000000400.safetensors.123"), "x");

        var steps = run.List().Select(c => c.Step);

        Assert.Equal([20L, 300, 1_000_000_000], steps);
    }

    [Fact]
    public async Task The_newest_valid_checkpoint_is_read_skipping_a_corrupt_newest_one()
    {
        using var dir = new TempDirectory();
        var run = new CheckpointDirectory(dir.Path);
        await run.SaveAsync(Samples.Content(100), CancellationToken.None);
        var newest = await run.SaveAsync(Samples.Content(200), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(newest);
        await File.WriteAllBytesAsync(newest, bytes[..(bytes.Length / 2)]);
        var skipped = new List<CheckpointException>();

        var content = run.ReadNewestValid(skipped);

        Assert.Equal(100, content!.Step);
        Assert.Equal(newest, Assert.Single(skipped).Path);
    }

    [Fact]
    public async Task The_newest_valid_path_below_a_step_passes_over_newer_and_corrupt_ones()
    {
        using var dir = new TempDirectory();
        var run = new CheckpointDirectory(dir.Path);
        var oldest = await run.SaveAsync(Samples.Content(100), CancellationToken.None);
        var corrupt = await run.SaveAsync(Samples.Content(200), CancellationToken.None);
        await run.SaveAsync(Samples.Content(300), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(corrupt);
        await File.WriteAllBytesAsync(corrupt, bytes[..(bytes.Length / 2)]);
        var skipped = new List<CheckpointException>();

        var path = run.NewestValidPathBefore(300, skipped);

        Assert.Equal(oldest, path);
        Assert.Equal(corrupt, Assert.Single(skipped).Path);
        Assert.Null(run.NewestValidPathBefore(100));
    }

    [Fact]
    public async Task No_usable_checkpoint_gives_null()
    {
        using var dir = new TempDirectory();
        var run = new CheckpointDirectory(dir.Path);
        Assert.Null(run.ReadNewestValid());

        await File.WriteAllTextAsync(run.PathOf(5), "garbage!");

        Assert.Null(run.ReadNewestValid());
    }

    [Fact]
    public async Task Pruning_keeps_the_newest_k_and_removes_stale_temp_files_but_not_a_save_in_flight()
    {
        using var dir = new TempDirectory();
        var run = new CheckpointDirectory(dir.Path);
        foreach (var step in new[] { 1L, 2, 3, 4, 5 }) await run.SaveAsync(Samples.Content(step), CancellationToken.None);
        var stale = dir.File(".tmp-step-000000006.safetensors.abc");
        await File.WriteAllTextAsync(stale, "half");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - CheckpointDirectory.StaleTempAge - TimeSpan.FromMinutes(1));
        var inFlight = dir.File(".tmp-step-000000007.safetensors.def"); // another writer's save, still going
        await File.WriteAllTextAsync(inFlight, "part");

        var deleted = run.Prune(keep: 2);

        Assert.Equal([4L, 5], run.List().Select(c => c.Step));
        Assert.Equal(4, deleted.Count);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(inFlight));
    }
}
