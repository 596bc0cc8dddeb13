using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class AtomicFileTests
{
    [Fact]
    public async Task A_crash_halfway_through_a_write_leaves_the_previous_checkpoint_intact_and_no_temp_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("step-000000100.safetensors");
        await CheckpointWriter.WriteAsync(path, Samples.Content(step: 100, bigFloats: 10_000), CancellationToken.None);
        var before = File.ReadAllBytes(path);
        var next = Samples.Content(step: 200, bigFloats: 10_000);

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path,
            (s, ct) => CheckpointWriter.WriteToAsync(new FailingStream(s, failAfter: 20_000), next, ct), CancellationToken.None));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        Assert.Equal(100, CheckpointReader.Read(path).Step);
    }

    [Fact]
    public async Task A_cancelled_write_leaves_no_temp_file()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CheckpointWriter.WriteAsync(dir.File("x.safetensors"), Samples.Content(), cts.Token));

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task A_successful_write_replaces_the_target()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f.bin");
        await File.WriteAllBytesAsync(path, [1, 2, 3]);

        await AtomicFile.WriteAsync(path, (s, ct) => s.WriteAsync(new byte[] { 9, 8 }, ct).AsTask(), CancellationToken.None);

        Assert.Equal([9, 8], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }
}
