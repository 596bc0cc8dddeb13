using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Checkpoints;
using HyperSwarm.Coordinator.Store.Sqlite;
using HyperSwarm.Coordinator.Tests.Store.Support;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Coordinator.Tests.Store;

public sealed class CheckpointGcExecutorTests : IAsyncLifetime
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private readonly TempDirectory _run = new();
    private readonly ManualClock _clock = new();
    private readonly RecordingLogger<CheckpointGcExecutor> _log = new();
    private SqlitePopulationStore _store = null!;

    public async Task InitializeAsync() => _store = await SqlitePopulationStore.OpenAsync(_run.File("population.db"), _clock);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _run.Dispose();
    }

    private CheckpointGcExecutor Executor => new(_store, new LocalCheckpointDeleter(), _log);

    [Fact]
    public async Task Garbage_files_are_deleted_and_marked_collected_and_the_rest_stay()
    {
        var old = await SaveAsync("m0", 100, bytes: 300);
        var pinned = await SaveAsync("m0", 200, bytes: 20);
        var latest = await SaveAsync("m0", 300, bytes: 30);

        var result = await Executor.CollectAsync([], [new CheckpointKey("m0", 200)]);

        Assert.Equal(new CheckpointGcResult(Deleted: 1, AlreadyMissing: 0, BytesFreed: 300), result);
        Assert.Equal([false, true, true], new[] { old, pinned, latest }.Select(File.Exists));
        Assert.Equal([true, false, false], (await _store.ListCheckpointsAsync("m0")).Select(c => c.IsCollected));
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task A_file_already_gone_is_reported_and_still_marked_collected()
    {
        var gone = await SaveAsync("m1", 100, bytes: 10);
        await SaveAsync("m1", 200, bytes: 10);
        File.Delete(gone);

        var result = await Executor.CollectAsync([], []);

        Assert.Equal(new CheckpointGcResult(Deleted: 0, AlreadyMissing: 1, BytesFreed: 0), result);
        Assert.True((await _store.ListCheckpointsAsync("m1"))[0].IsCollected);
        var (level, message) = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Equal($"Checkpoint GC: {gone} (member m1, step 100) was already gone; marking it collected.", message);
    }

    [Fact]
    public async Task A_checkpoint_whose_folder_is_gone_counts_as_already_missing()
    {
        await _store.RecordCheckpointAsync("m2", 100, _run.File("lost-disk/m2/100"), 10, Sha, "w:1");
        await SaveAsync("m2", 200, bytes: 10);

        var result = await Executor.CollectAsync([], []);

        Assert.Equal(1, result.AlreadyMissing);
    }

    [Fact]
    public async Task A_second_pass_finds_nothing_to_do()
    {
        await SaveAsync("m0", 100, bytes: 10);
        await SaveAsync("m0", 200, bytes: 10);
        await Executor.CollectAsync([], []);

        var again = await Executor.CollectAsync([], []);

        Assert.Equal(new CheckpointGcResult(0, 0, 0), again);
    }

    private async Task<string> SaveAsync(string member, long step, int bytes)
    {
        var path = _run.File($"{member}-step-{step:D9}.safetensors");
        await File.WriteAllBytesAsync(path, new byte[bytes]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _store.RecordCheckpointAsync(member, step, path, bytes, Sha, "127.0.0.1:7001");
        return path;
    }
}
