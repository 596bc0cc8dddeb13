using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Tests.Store.Support;

namespace HyperSwarm.Coordinator.Tests.Store;

/// <summary>
/// What every <see cref="IPopulationStore"/> must do. Each implementation's test class derives
/// from this one and says how to open its store; every test starts from an empty store.
/// </summary>
public abstract class PopulationStoreContract : IAsyncLifetime
{
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private readonly List<IPopulationStore> _opened = [];

    protected ManualClock Clock { get; } = new();

    /// <summary>Opens the test's store; every call opens the same database, as a restarted process would.</summary>
    protected abstract Task<IPopulationStore> OpenStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
            await store.DisposeAsync();
    }

    protected async Task<IPopulationStore> OpenAsync()
    {
        var store = await OpenStoreAsync();
        _opened.Add(store);
        return store;
    }

    [Fact]
    public async Task A_new_store_is_empty()
    {
        var store = await OpenAsync();

        Assert.Equal(0, await store.GetLastSequenceAsync());
        Assert.Empty(await ReadAllAsync(store));
        Assert.Null(await store.LoadLatestSnapshotAsync());
        Assert.Null(await store.GetRunMetadataAsync());
        Assert.Empty(await store.ListAllCheckpointsAsync());
    }

    [Fact]
    public async Task Appended_events_come_back_in_order_with_every_field()
    {
        var store = await OpenAsync();

        var first = await store.AppendAsync("worker_joined", null, "w1", null, """{"slots":2}""");
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await store.AppendAsync("exploit", "m3", "w1", "m3 in the bottom quartile", """{ "from": "m0", "ckpt": 1200 }""");
        var events = await ReadAllAsync(store);

        Assert.Equal([1L, 2L], [first, second]);
        Assert.Equal(
            [
                new StoredEvent(1, Clock.NowInMicroseconds.AddSeconds(-1), "worker_joined", null, "w1", null, """{"slots":2}"""),
                new StoredEvent(2, Clock.NowInMicroseconds, "exploit", "m3", "w1", "m3 in the bottom quartile", """{ "from": "m0", "ckpt": 1200 }"""),
            ],
            events);
    }

    [Fact]
    public async Task Payloads_are_kept_as_opaque_text()
    {
        var store = await OpenAsync();
        // Key order, spacing and escapes must survive: a jsonb column would normalise them.
        const string payload = "{\"z\": 1,   \"a\": [\"λ\", \"\\u00e9\", \"🐝\"], \"z\": 2}";

        await store.AppendAsync("report", "m0", null, null, payload);

        Assert.Equal(payload, Assert.Single(await ReadAllAsync(store)).PayloadJson);
    }

    [Fact]
    public async Task Reading_after_a_sequence_returns_only_the_later_events()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 5; i++)
            await store.AppendAsync("tick", null, null, null, $"{{\"i\":{i}}}");

        var later = await ReadAllAsync(store, afterSequence: 3);

        Assert.Equal([4L, 5L], later.Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_log_longer_than_a_page_reads_back_whole_and_gap_free()
    {
        var store = await OpenAsync();
        // The stores read 512 events a page: one full page, then a short one.
        const int count = 513;
        for (var i = 1; i <= count; i++)
            await store.AppendAsync("report", $"m{i % 7}", null, null, $"{{\"i\":{i}}}");

        var events = await ReadAllAsync(store);

        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"{{\"i\":{i}}}"), events.Select(e => e.PayloadJson));
        Assert.Equal(count, await store.GetLastSequenceAsync());
    }

    [Fact]
    public async Task Concurrent_appends_get_distinct_gap_free_sequences()
    {
        var store = await OpenAsync();
        const int tasks = 8, perTask = 25;

        var sequences = await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < perTask; i++)
                mine.Add(await store.AppendAsync("report", $"m{t}", null, null, $"{{\"t\":{t},\"i\":{i}}}"));
            return mine;
        })));
        var events = await ReadAllAsync(store);

        Assert.Equal(Enumerable.Range(1, tasks * perTask).Select(i => (long)i), sequences.SelectMany(s => s).Order());
        Assert.Equal(Enumerable.Range(1, tasks * perTask).Select(i => (long)i), events.Select(e => e.Sequence));
        // Each task's own appends keep their order in the log.
        foreach (var mine in sequences)
            Assert.Equal(mine.Order(), mine);
        Assert.Equal(tasks * perTask, events.Select(e => e.PayloadJson).Distinct().Count());
    }

    [Fact]
    public async Task A_batch_gets_consecutive_sequences_in_its_order()
    {
        var store = await OpenAsync();
        await store.AppendAsync("tick", null, null, null, "{}");

        var first = await store.AppendBatchAsync(
        [
            new EventToAppend("worker_joined", null, "w1", "2 slots", """{"i":1}"""),
            new EventToAppend("member_started", "m0", "w1", null, """{"i":2}"""),
            new EventToAppend("member_started", "m1", "w1", null, """{"i":3}"""),
        ]);
        var events = await ReadAllAsync(store);

        Assert.Equal(2, first);
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Sequence));
        Assert.Equal(["tick", "worker_joined", "member_started", "member_started"], events.Select(e => e.Kind));
        Assert.Equal(
            new StoredEvent(3, Clock.NowInMicroseconds, "member_started", "m0", "w1", null, """{"i":2}"""),
            events[2]);
        Assert.Equal(4, await store.GetLastSequenceAsync());
    }

    [Fact]
    public async Task Concurrent_batches_never_interleave()
    {
        var store = await OpenAsync();
        const int tasks = 6, batches = 5, size = 4;

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            for (var b = 0; b < batches; b++)
                await store.AppendBatchAsync([.. Enumerable.Range(0, size).Select(i => new EventToAppend("report", $"m{t}", null, null, $"{{\"b\":{b},\"i\":{i}}}"))]);
        })));
        var events = await ReadAllAsync(store);

        Assert.Equal(Enumerable.Range(1, tasks * batches * size).Select(i => (long)i), events.Select(e => e.Sequence));
        // Each batch is one run of `size` events from one task, in its own order.
        foreach (var chunk in events.Chunk(size))
        {
            Assert.Single(chunk.Select(e => e.MemberId).Distinct());
            Assert.Equal(Enumerable.Range(0, size).Select(i => $",\"i\":{i}}}"), chunk.Select(e => e.PayloadJson[e.PayloadJson.IndexOf(',', StringComparison.Ordinal)..]));
        }
    }

    [Fact]
    public async Task An_empty_or_blank_batch_is_refused_before_the_database_is_touched()
    {
        var store = await OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendBatchAsync([]));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendBatchAsync([new EventToAppend("tick", null, null, null, "{}"), new EventToAppend(" ", null, null, null, "{}")]));
        Assert.Equal(0, await store.GetLastSequenceAsync());
    }

    [Fact]
    public async Task Replay_is_the_latest_snapshot_plus_the_events_after_it()
    {
        var store = await OpenAsync();
        for (var i = 1; i <= 4; i++)
            await store.AppendAsync("add", null, null, null, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await store.SaveSnapshotAsync(4, "10");
        await store.AppendAsync("add", null, null, null, "5");
        await store.AppendAsync("add", null, null, null, "6");

        var replay = await PopulationReplay.RunAsync(store,
            snapshot => snapshot is null ? 0 : int.Parse(snapshot.SnapshotJson, System.Globalization.CultureInfo.InvariantCulture),
            (sum, stored) => sum + int.Parse(stored.PayloadJson, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(new ReplayResult<int>(21, 6, 4), replay);
    }

    [Fact]
    public async Task Replay_without_a_snapshot_folds_every_event()
    {
        var store = await OpenAsync();
        await store.AppendAsync("add", null, null, null, "a");
        await store.AppendAsync("add", null, null, null, "b");

        var replay = await PopulationReplay.RunAsync(store, snapshot => "", (text, stored) => text + stored.PayloadJson);

        Assert.Equal(new ReplayResult<string>("ab", 2, null), replay);
    }

    [Fact]
    public async Task A_new_snapshot_replaces_the_older_one()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 3; i++)
            await store.AppendAsync("tick", null, null, null, "{}");

        await store.SaveSnapshotAsync(1, """{"n":1}""");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await store.SaveSnapshotAsync(3, """{"n":3}""");

        Assert.Equal(new StoredSnapshot(3, Clock.NowInMicroseconds, """{"n":3}"""), await store.LoadLatestSnapshotAsync());
    }

    [Fact]
    public async Task A_snapshot_ahead_of_the_log_or_behind_the_latest_is_refused()
    {
        var store = await OpenAsync();
        await store.AppendAsync("tick", null, null, null, "{}");
        await store.AppendAsync("tick", null, null, null, "{}");
        await store.SaveSnapshotAsync(2, "{}");

        var ahead = await Assert.ThrowsAsync<StoreException>(() => store.SaveSnapshotAsync(3, "{}"));
        var behind = await Assert.ThrowsAsync<StoreException>(() => store.SaveSnapshotAsync(1, "{}"));

        Assert.Contains("ahead of the event log", ahead.Message, StringComparison.Ordinal);
        Assert.Contains("older than the latest", behind.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopening_after_dispose_sees_everything_and_continues_the_sequence()
    {
        var first = await OpenAsync();
        await first.SetRunMetadataAsync("run-7", "population: 4\n");
        await first.AppendAsync("member_started", "m0", "w0", "initial population", "{}");
        await first.AppendAsync("member_started", "m1", "w0", "initial population", "{}");
        await first.SaveSnapshotAsync(2, """{"members":2}""");
        await first.RecordCheckpointAsync("m0", 100, "/ckpt/m0/step-000000100.safetensors", 4096, Sha, "10.0.0.5:7001");
        await first.DisposeAsync();

        var second = await OpenAsync();
        var next = await second.AppendAsync("member_stopped", "m1", null, "restart test", "{}");

        Assert.Equal(3, next);
        Assert.Equal(["member_started", "member_started", "member_stopped"], (await ReadAllAsync(second)).Select(e => e.Kind));
        Assert.Equal("""{"members":2}""", (await second.LoadLatestSnapshotAsync())?.SnapshotJson);
        Assert.Equal(new RunMetadata("run-7", "population: 4\n", Clock.NowInMicroseconds), await second.GetRunMetadataAsync());
        Assert.Equal(4096, Assert.Single(await second.ListCheckpointsAsync("m0")).SizeBytes);
    }

    [Fact]
    public async Task Run_metadata_is_set_once()
    {
        var store = await OpenAsync();
        await store.SetRunMetadataAsync("run-1", "seed: 1\n");

        await store.SetRunMetadataAsync("run-1", "seed: 1\n");
        var otherRun = await Assert.ThrowsAsync<StoreException>(() => store.SetRunMetadataAsync("run-2", "seed: 1\n"));
        var otherConfig = await Assert.ThrowsAsync<StoreException>(() => store.SetRunMetadataAsync("run-1", "seed: 2\n"));

        Assert.Contains("belongs to run 'run-1', not 'run-2'", otherRun.Message, StringComparison.Ordinal);
        Assert.Contains("different config", otherConfig.Message, StringComparison.Ordinal);
        Assert.Equal("seed: 1\n", (await store.GetRunMetadataAsync())?.ConfigYaml);
    }

    [Fact]
    public async Task The_checkpoint_registry_round_trips()
    {
        var store = await OpenAsync();
        await store.RecordCheckpointAsync("m1", 200, "/c/m1/200", 20, Sha, "w1:1");
        await store.RecordCheckpointAsync("m0", 100, "/c/m0/100", 10, Sha, "w0:1");
        await store.RecordCheckpointAsync("m1", 100, "/c/m1/100", 11, Sha, "w1:1");
        var recorded = Clock.NowInMicroseconds;
        Clock.Advance(TimeSpan.FromSeconds(5));

        await store.MarkCollectedAsync(new CheckpointKey("m1", 100));
        await store.MarkCollectedAsync(new CheckpointKey("m1", 100));

        Assert.Equal(
            [
                new CheckpointRecord("m1", 100, "/c/m1/100", 11, Sha, "w1:1", recorded, Clock.NowInMicroseconds),
                new CheckpointRecord("m1", 200, "/c/m1/200", 20, Sha, "w1:1", recorded, null),
            ],
            await store.ListCheckpointsAsync("m1"));
        Assert.Equal(
            [new CheckpointKey("m0", 100), new CheckpointKey("m1", 100), new CheckpointKey("m1", 200)],
            (await store.ListAllCheckpointsAsync()).Select(c => c.Key));
        Assert.Empty(await store.ListCheckpointsAsync("m9"));
    }

    [Fact]
    public async Task Recording_a_step_again_replaces_it_and_makes_it_live()
    {
        var store = await OpenAsync();
        await store.RecordCheckpointAsync("m0", 100, "/w0/m0/100", 10, Sha, "w0:1");
        await store.MarkCollectedAsync(new CheckpointKey("m0", 100));

        await store.RecordCheckpointAsync("m0", 100, "/w3/m0/100", 12, Sha, "w3:1");

        var record = Assert.Single(await store.ListCheckpointsAsync("m0"));
        Assert.Equal(("/w3/m0/100", 12L, "w3:1", false), (record.Path, record.SizeBytes, record.WorkerAddress, record.IsCollected));
    }

    [Fact]
    public async Task Marking_an_unknown_checkpoint_is_refused()
    {
        var store = await OpenAsync();

        var error = await Assert.ThrowsAsync<StoreException>(() => store.MarkCollectedAsync(new CheckpointKey("m4", 800)));

        Assert.Contains("no checkpoint of member 'm4' at step 800", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_the_database_is_touched()
    {
        var store = await OpenAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AppendAsync(" ", null, null, null, "{}"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.RecordCheckpointAsync("m0", 1, "/p", 1, "ABC", "w"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SaveSnapshotAsync(-1, "{}"));
        Assert.Equal(0, await store.GetLastSequenceAsync());
    }

    protected static async Task<List<StoredEvent>> ReadAllAsync(IPopulationStore store, long afterSequence = 0)
    {
        var events = new List<StoredEvent>();
        await foreach (var stored in store.ReadEventsAsync(afterSequence))
            events.Add(stored);
        return events;
    }
}
