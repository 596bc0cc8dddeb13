using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Store.Sqlite;
using HyperSwarm.Coordinator.Tests.Store.Support;
using Microsoft.Data.Sqlite;

namespace HyperSwarm.Coordinator.Tests.Store;

public sealed class SqlitePopulationStoreTests : PopulationStoreContract
{
    private readonly TempDirectory _runDirectory = new();

    private string StoreFile => _runDirectory.File(StoreUri.DefaultFileName);

    protected override async Task<IPopulationStore> OpenStoreAsync() =>
        await SqlitePopulationStore.OpenAsync(StoreFile, Clock);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _runDirectory.Dispose();
    }

    [Fact]
    public async Task The_store_is_one_file_in_write_ahead_log_mode()
    {
        await using var store = await SqlitePopulationStore.OpenAsync(StoreFile, Clock);
        await store.AppendAsync("tick", null, null, null, "{}");

        await using var probe = new SqliteConnection($"Data Source={StoreFile};Pooling=False");
        await probe.OpenAsync();
        await using var mode = probe.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await mode.ExecuteScalarAsync());
        Assert.Equal(StoreFile, store.File);
    }

    [Fact]
    public async Task A_garbage_file_is_refused_in_one_sentence_naming_it()
    {
        var random = new Random(5);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        await File.WriteAllBytesAsync(StoreFile, garbage);

        var error = await Assert.ThrowsAsync<StoreException>(() => SqlitePopulationStore.OpenAsync(StoreFile));

        Assert.Equal(
            $"The population store {StoreFile} is not a SQLite database (it is garbage or was overwritten); restore it from a backup or start a new run directory.",
            error.Message);
    }

    [Fact]
    public async Task A_truncated_file_is_refused_in_one_sentence_naming_it()
    {
        await using (var store = await SqlitePopulationStore.OpenAsync(StoreFile))
        {
            var payload = new string('x', 400);
            for (var i = 0; i < 600; i++)
                await store.AppendAsync("report", "m0", null, null, payload);
        }
        await using (var file = new FileStream(StoreFile, FileMode.Open))
            file.SetLength(file.Length / 2);

        var error = await Assert.ThrowsAsync<StoreException>(() => SqlitePopulationStore.OpenAsync(StoreFile));

        Assert.StartsWith($"The population store {StoreFile} is corrupt or truncated (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); restore it from a backup or start a new run directory.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_in_a_missing_folder_is_refused_in_one_sentence_naming_it()
    {
        var file = _runDirectory.File("no-such-run/population.db");

        var error = await Assert.ThrowsAsync<StoreException>(() => SqlitePopulationStore.OpenAsync(file));

        Assert.Equal($"The population store {file} cannot be created: its folder does not exist.", error.Message);
    }

    [Fact]
    public async Task The_default_uri_of_a_run_directory_opens_a_sqlite_store_there()
    {
        await using var store = await PopulationStore.OpenAsync(StoreUri.ForRunDirectory(_runDirectory.Path));

        Assert.Equal(StoreFile, Assert.IsType<SqlitePopulationStore>(store).File);
    }

    [Fact]
    public async Task A_disposed_store_refuses_further_calls()
    {
        var store = await SqlitePopulationStore.OpenAsync(StoreFile);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.GetLastSequenceAsync());
    }
}
