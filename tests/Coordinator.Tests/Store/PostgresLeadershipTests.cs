using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Store.Postgres;
using HyperSwarm.Coordinator.Tests.Store.Support;
using Npgsql;

namespace HyperSwarm.Coordinator.Tests.Store;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLeadershipTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private PostgresStoreUri _uri = null!;
    private PostgresPopulationStore _first = null!;
    private PostgresPopulationStore _second = null!;

    public async Task InitializeAsync()
    {
        _uri = await server.RentDatabaseAsync();
        _first = await PostgresPopulationStore.OpenAsync(_uri);
        _second = await PostgresPopulationStore.OpenAsync(_uri);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await server.ReturnDatabaseAsync(_uri);
    }

    [Fact]
    public async Task Only_one_store_leads_and_the_other_takes_over_once_the_first_is_disposed()
    {
        var lease = await _first.TryAcquireLeadershipAsync("run-1");
        var refused = await _second.TryAcquireLeadershipAsync("run-1");
        await _first.DisposeAsync();
        var takeover = await _second.TryAcquireLeadershipAsync("run-1");

        Assert.Equal(("run-1", 1L), (lease?.RunId, lease?.Epoch));
        Assert.Null(refused);
        Assert.Equal(2, takeover?.Epoch);
    }

    [Fact]
    public async Task A_standby_waits_for_leadership_and_gets_it_when_the_leader_steps_down()
    {
        var lease = await _first.TryAcquireLeadershipAsync("run-1");
        using var patience = new CancellationTokenSource(Patience);

        var standby = _second.WaitForLeadershipAsync("run-1", patience.Token);
        var waitedWhileLed = await Task.WhenAny(standby, Task.Delay(TimeSpan.FromMilliseconds(300))) != standby;
        await lease!.DisposeAsync();
        var takeover = await standby;

        Assert.True(waitedWhileLed);
        Assert.Equal(2, takeover.Epoch);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_no_lock_behind()
    {
        var lease = await _first.TryAcquireLeadershipAsync("run-1");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _second.WaitForLeadershipAsync("run-1", cancel.Token));
        await lease!.DisposeAsync();

        Assert.NotNull(await _second.TryAcquireLeadershipAsync("run-1"));
    }

    [Fact]
    public async Task A_leading_store_cannot_wait_on_its_own_lock()
    {
        await _first.TryAcquireLeadershipAsync("run-1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _first.WaitForLeadershipAsync("run-1"));

        Assert.Equal("This store already leads run 'run-1'; dispose that lease first.", error.Message);
    }

    [Fact]
    public async Task Leadership_is_per_run()
    {
        var otherUri = await server.RentDatabaseAsync();
        try
        {
            await using var otherDatabase = await PostgresPopulationStore.OpenAsync(otherUri);

            Assert.NotNull(await _first.TryAcquireLeadershipAsync("run-1"));
            Assert.NotNull(await otherDatabase.TryAcquireLeadershipAsync("run-2"));
        }
        finally
        {
            await server.ReturnDatabaseAsync(otherUri);
        }
    }

    [Fact]
    public async Task A_leader_whose_session_died_is_fenced_off_once_a_standby_takes_over()
    {
        await _first.TryAcquireLeadershipAsync("run-1");
        await _first.AppendAsync("tick", null, null, null, "{}");
        await TerminateLeaderSessionsAsync();
        var takeover = await _second.TryAcquireLeadershipAsync("run-1");

        await Assert.ThrowsAsync<LeadershipLostException>(() => _first.AppendAsync("tick", null, null, null, "{}"));
        await Assert.ThrowsAsync<LeadershipLostException>(() => _first.AppendBatchAsync([new EventToAppend("tick", null, null, null, "{}")]));
        await Assert.ThrowsAsync<LeadershipLostException>(() => _first.SaveSnapshotAsync(1, "{}"));
        var fenced = await Assert.ThrowsAsync<LeadershipLostException>(() => _first.MarkCollectedAsync(new CheckpointKey("m0", 1)));
        Assert.Equal(2, await _second.AppendAsync("tick", null, null, null, "{}"));
        Assert.Equal((2L, 1L), (takeover?.Epoch, fenced.Epoch));
    }

    [Fact]
    public async Task A_store_that_belongs_to_another_run_cannot_be_led()
    {
        await _first.SetRunMetadataAsync("run-1", "seed: 1\n");

        var error = await Assert.ThrowsAsync<StoreException>(() => _second.TryAcquireLeadershipAsync("run-2"));

        Assert.Contains("belongs to run 'run-1', so a coordinator of run 'run-2' cannot lead it", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await _first.TryAcquireLeadershipAsync("run-1"));
    }

    // What a network cut or a crashed leader host looks like from the server: the leader's
    // session ends and the server drops its advisory lock (the timeout waits for the exit).
    private async Task TerminateLeaderSessionsAsync()
    {
        await using var admin = await server.OpenAdminConnectionAsync();
        await using var terminate = new NpgsqlCommand(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = @db AND application_name = 'hyperswarm-leader'", admin);
        terminate.Parameters.AddWithValue("db", _uri.Database);
        await terminate.ExecuteNonQueryAsync();
    }
}
