using System.Runtime.CompilerServices;
using Npgsql;

namespace HyperSwarm.Coordinator.Store.Postgres;

/// <summary>
/// The shared store for multi-node runs: the same tables as the SQLite store in a
/// <c>hyperswarm</c> schema, created if missing. Sequences come from a counter row updated in
/// the appending statement itself, so they are gap-free and commit in order even across
/// processes. Also elects the run's leader (<see cref="ILeaderElection"/>).
/// </summary>
public sealed partial class PostgresPopulationStore : IPopulationStore, ILeaderElection
{
    // Events are read in pages so a replay holds no connection across the caller's work.
    private const int PageSize = 512;

    // Bumps the counter and inserts in one statement, so one implicit transaction when alone:
    // the counter row's lock is held until the event commits, which serialises appenders and
    // keeps commit order = sequence order. A rolled-back append rolls the counter back too, so
    // no gap (a SEQUENCE would leave one). Epoch 0 means this store never led, so nothing fences
    // it; a stale epoch inserts nothing.
    private const string AppendSql = """
        WITH next AS (
            UPDATE hyperswarm.run SET last_sequence = last_sequence + 1
            WHERE id = 1 AND (@epoch = 0 OR leader_epoch = @epoch)
            RETURNING last_sequence)
        INSERT INTO hyperswarm.events (sequence, recorded_at, kind, member_id, worker_id, reason, payload)
        SELECT last_sequence, @at, @kind, @member, @worker, @reason, @payload FROM next
        RETURNING sequence
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStoreUri _uri;
    private readonly TimeProvider _time;

    private PostgresPopulationStore(PostgresStoreUri uri, NpgsqlDataSource dataSource, TimeProvider time)
    {
        _uri = uri;
        _dataSource = dataSource;
        _time = time;
    }

    /// <summary>Connects, creates the schema if missing and checks its version. The database must exist.</summary>
    public static async Task<PostgresPopulationStore> OpenAsync(PostgresStoreUri uri, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var dataSource = NpgsqlDataSource.Create(ConnectionString(uri, "hyperswarm-coordinator", pooling: true));
        var opened = false;
        try
        {
            await PostgresSchema.PrepareAsync(dataSource, uri.ToString(), cancellationToken);
            opened = true;
            return new PostgresPopulationStore(uri, dataSource, time ?? TimeProvider.System);
        }
        catch (NpgsqlException error)
        {
            throw PostgresFailure.From(uri, error);
        }
        finally
        {
            if (!opened)
                await dataSource.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    public Task<long> AppendAsync(
        string kind, string? memberId, string? workerId, string? reason, string payloadJson,
        CancellationToken cancellationToken = default)
    {
        StoreInput.Event(kind, payloadJson);
        return UseAsync(async connection =>
        {
            var epoch = FenceEpoch;
            await using var append = Command(connection, null, AppendSql,
                ("epoch", epoch), ("at", StoreClock.Now(_time)), ("kind", kind), ("member", memberId),
                ("worker", workerId), ("reason", reason), ("payload", payloadJson));
            return await append.ExecuteScalarAsync(cancellationToken) as long?
                ?? throw new LeadershipLostException(_uri.ToString(), epoch);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> AppendBatchAsync(IReadOnlyList<EventToAppend> events, CancellationToken cancellationToken = default)
    {
        StoreInput.Batch(events);
        return UseAsync(async connection =>
        {
            var epoch = FenceEpoch;
            // The first statement takes the counter row's lock and keeps it to the commit, so the
            // batch's sequences are consecutive and no other appender interleaves.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var append = Command(connection, transaction, AppendSql,
                ("epoch", epoch), ("at", StoreClock.Now(_time)), ("kind", ""), ("member", null),
                ("worker", null), ("reason", null), ("payload", ""));
            long first = 0;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                append.Parameters["kind"].Value = e.Kind;
                append.Parameters["member"].Value = (object?)e.MemberId ?? DBNull.Value;
                append.Parameters["worker"].Value = (object?)e.WorkerId ?? DBNull.Value;
                append.Parameters["reason"].Value = (object?)e.Reason ?? DBNull.Value;
                append.Parameters["payload"].Value = e.PayloadJson;
                var sequence = await append.ExecuteScalarAsync(cancellationToken) as long?
                    ?? throw new LeadershipLostException(_uri.ToString(), epoch);
                if (i == 0)
                    first = sequence;
            }
            await transaction.CommitAsync(cancellationToken);
            return first;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredEvent> ReadEventsAsync(
        long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StoreInput.AfterSequence(afterSequence);
        while (true)
        {
            var page = await UseAsync(connection => ReadPageAsync(connection, afterSequence, cancellationToken), cancellationToken);
            foreach (var stored in page)
                yield return stored;
            if (page.Count < PageSize)
                yield break;
            afterSequence = page[^1].Sequence;
        }
    }

    private static async Task<List<StoredEvent>> ReadPageAsync(NpgsqlConnection connection, long afterSequence, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, null, $"""
            SELECT sequence, recorded_at, kind, member_id, worker_id, reason, payload
            FROM hyperswarm.events WHERE sequence > @after ORDER BY sequence LIMIT {PageSize}
            """, ("after", afterSequence));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var page = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new StoredEvent(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                NullableText(reader, 3), NullableText(reader, 4), NullableText(reader, 5), reader.GetString(6)));
        }
        return page;
    }

    /// <inheritdoc/>
    public Task<long> GetLastSequenceAsync(CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var select = Command(connection, null, "SELECT last_sequence FROM hyperswarm.run WHERE id = 1");
            return (long)(await select.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SaveSnapshotAsync(long sequence, string snapshotJson, CancellationToken cancellationToken = default)
    {
        StoreInput.Snapshot(sequence, snapshotJson);
        return UseAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var last = await LockRunRowAsync(connection, transaction, "FOR UPDATE", cancellationToken);
            await using var latest = Command(connection, transaction, "SELECT MAX(sequence) FROM hyperswarm.snapshots");
            StoreRules.CheckSnapshot(_uri.ToString(), sequence, last, await latest.ExecuteScalarAsync(cancellationToken) as long?);

            await using var save = Command(connection, transaction, """
                INSERT INTO hyperswarm.snapshots (sequence, taken_at, snapshot) VALUES (@sequence, @at, @snapshot)
                ON CONFLICT (sequence) DO UPDATE SET taken_at = excluded.taken_at, snapshot = excluded.snapshot;
                DELETE FROM hyperswarm.snapshots WHERE sequence < @sequence;
                """, ("sequence", sequence), ("at", StoreClock.Now(_time)), ("snapshot", snapshotJson));
            await save.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredSnapshot?> LoadLatestSnapshotAsync(CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var select = Command(connection, null,
                "SELECT sequence, taken_at, snapshot FROM hyperswarm.snapshots ORDER BY sequence DESC LIMIT 1");
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new StoredSnapshot(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2))
                : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SetRunMetadataAsync(string runId, string configYaml, CancellationToken cancellationToken = default)
    {
        StoreInput.RunMetadata(runId, configYaml);
        return UseAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockRunRowAsync(connection, transaction, "FOR UPDATE", cancellationToken);
            var existing = await ReadRunMetadataAsync(connection, transaction, cancellationToken);
            if (StoreRules.CheckRunMetadata(_uri.ToString(), existing, runId, configYaml))
            {
                await using var update = Command(connection, transaction,
                    "UPDATE hyperswarm.run SET run_id = @run, config_yaml = @config, created_at = @at WHERE id = 1",
                    ("run", runId), ("config", configYaml), ("at", StoreClock.Now(_time)));
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RunMetadata?> GetRunMetadataAsync(CancellationToken cancellationToken = default) =>
        UseAsync(connection => ReadRunMetadataAsync(connection, null, cancellationToken), cancellationToken);

    private static async Task<RunMetadata?> ReadRunMetadataAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, transaction,
            "SELECT run_id, config_yaml, created_at FROM hyperswarm.run WHERE id = 1 AND run_id IS NOT NULL");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RunMetadata(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    /// <summary>Ends leadership if held, then closes every pooled connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _lease, null) is { } lease)
            await lease.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    // Locks the run row for the rest of the transaction and returns the last sequence. A
    // leader's writes check their epoch here; a takeover bumps the epoch on the same row, so it
    // waits for writes in flight and fences every later one.
    private async Task<long> LockRunRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string lockMode, CancellationToken cancellationToken)
    {
        var epoch = FenceEpoch;
        await using var select = Command(connection, transaction,
            $"SELECT last_sequence, leader_epoch FROM hyperswarm.run WHERE id = 1 {lockMode}");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (epoch != 0 && reader.GetInt64(1) != epoch)
            throw new LeadershipLostException(_uri.ToString(), epoch);
        return reader.GetInt64(0);
    }

    private Task UseAsync(Func<NpgsqlConnection, Task> work, CancellationToken cancellationToken) =>
        UseAsync(async connection => { await work(connection); return true; }, cancellationToken);

    private async Task<T> UseAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await work(connection);
        }
        catch (NpgsqlException error)
        {
            throw PostgresFailure.From(_uri, error);
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string ConnectionString(PostgresStoreUri uri, string applicationName, bool pooling) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port,
            Database = uri.Database,
            Username = uri.Username,
            Password = uri.Password,
            ApplicationName = applicationName,
            Pooling = pooling,
        }.ConnectionString;
}
