using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace HyperSwarm.Coordinator.Store.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in the run directory, in WAL mode. One connection
/// serves every call, one call at a time, which is also what gives concurrent appends
/// consecutive sequences. Survives a restart of the process: reopen the same file.
/// </summary>
public sealed partial class SqlitePopulationStore : IPopulationStore
{
    // Events are read in pages so a replay neither holds the connection across the caller's
    // work nor loads the whole log into memory.
    private const int PageSize = 512;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private bool _disposed;

    private SqlitePopulationStore(string file, SqliteConnection connection, TimeProvider time)
    {
        File = file;
        _connection = connection;
        _time = time;
    }

    /// <summary>The database file, as an absolute path.</summary>
    public string File { get; }

    /// <summary>Opens (or creates) the store file and checks that it is intact.</summary>
    public static async Task<SqlitePopulationStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(System.IO.Path.GetDirectoryName(file)))
            throw new StoreException($"The population store {file} cannot be created: its folder does not exist.");

        // Pooling off: disposing the store must really close the file (WAL checkpointed, lock
        // released), as a process exit would.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        var opened = false;
        try
        {
            await connection.OpenAsync(cancellationToken);
            await SqliteSchema.PrepareAsync(connection, file, cancellationToken);
            opened = true;
            return new SqlitePopulationStore(file, connection, time ?? TimeProvider.System);
        }
        catch (SqliteException error)
        {
            throw SqliteFailure.From(file, error);
        }
        finally
        {
            if (!opened)
                await connection.DisposeAsync();
        }
    }

    /// <inheritdoc/>
    public Task<long> AppendAsync(
        string kind, string? memberId, string? workerId, string? reason, string payloadJson,
        CancellationToken cancellationToken = default)
    {
        StoreInput.Event(kind, payloadJson);
        return UseAsync(async () =>
        {
            await using var insert = Command(null, """
                INSERT INTO events (recorded_at, kind, member_id, worker_id, reason, payload)
                VALUES ($at, $kind, $member, $worker, $reason, $payload)
                RETURNING sequence
                """,
                ("$at", SqliteTime.ToText(StoreClock.Now(_time))), ("$kind", kind), ("$member", memberId),
                ("$worker", workerId), ("$reason", reason), ("$payload", payloadJson));
            return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> AppendBatchAsync(IReadOnlyList<EventToAppend> events, CancellationToken cancellationToken = default)
    {
        StoreInput.Batch(events);
        return UseAsync(async () =>
        {
            // One writer on one connection: the rowids of one transaction are consecutive.
            await using var transaction = _connection.BeginTransaction(deferred: false);
            await using var insert = Command(transaction, """
                INSERT INTO events (recorded_at, kind, member_id, worker_id, reason, payload)
                VALUES ($at, $kind, $member, $worker, $reason, $payload)
                RETURNING sequence
                """,
                ("$at", SqliteTime.ToText(StoreClock.Now(_time))), ("$kind", ""), ("$member", null),
                ("$worker", null), ("$reason", null), ("$payload", ""));
            long first = 0;
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                insert.Parameters["$kind"].Value = e.Kind;
                insert.Parameters["$member"].Value = (object?)e.MemberId ?? DBNull.Value;
                insert.Parameters["$worker"].Value = (object?)e.WorkerId ?? DBNull.Value;
                insert.Parameters["$reason"].Value = (object?)e.Reason ?? DBNull.Value;
                insert.Parameters["$payload"].Value = e.PayloadJson;
                var sequence = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
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
            var page = await UseAsync(() => ReadPageAsync(afterSequence, cancellationToken), cancellationToken);
            foreach (var stored in page)
                yield return stored;
            if (page.Count < PageSize)
                yield break;
            afterSequence = page[^1].Sequence;
        }
    }

    private async Task<List<StoredEvent>> ReadPageAsync(long afterSequence, CancellationToken cancellationToken)
    {
        await using var select = Command(null, $"""
            SELECT sequence, recorded_at, kind, member_id, worker_id, reason, payload
            FROM events WHERE sequence > $after ORDER BY sequence LIMIT {PageSize}
            """, ("$after", afterSequence));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var page = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add(new StoredEvent(
                reader.GetInt64(0), SqliteTime.Parse(reader.GetString(1)), reader.GetString(2),
                NullableText(reader, 3), NullableText(reader, 4), NullableText(reader, 5), reader.GetString(6)));
        }
        return page;
    }

    /// <inheritdoc/>
    public Task<long> GetLastSequenceAsync(CancellationToken cancellationToken = default) =>
        UseAsync(() => LastSequenceAsync(null, cancellationToken), cancellationToken);

    private async Task<long> LastSequenceAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = Command(transaction, "SELECT COALESCE(MAX(sequence), 0) FROM events");
        return (long)(await select.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc/>
    public Task SaveSnapshotAsync(long sequence, string snapshotJson, CancellationToken cancellationToken = default)
    {
        StoreInput.Snapshot(sequence, snapshotJson);
        return UseAsync(async () =>
        {
            await using var transaction = _connection.BeginTransaction(deferred: false);
            var last = await LastSequenceAsync(transaction, cancellationToken);
            await using var latest = Command(transaction, "SELECT MAX(sequence) FROM snapshots");
            var latestSequence = await latest.ExecuteScalarAsync(cancellationToken) as long?;
            StoreRules.CheckSnapshot(File, sequence, last, latestSequence);

            await using var save = Command(transaction, """
                INSERT OR REPLACE INTO snapshots (sequence, taken_at, snapshot) VALUES ($sequence, $at, $snapshot);
                DELETE FROM snapshots WHERE sequence < $sequence;
                """, ("$sequence", sequence), ("$at", SqliteTime.ToText(StoreClock.Now(_time))), ("$snapshot", snapshotJson));
            await save.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoredSnapshot?> LoadLatestSnapshotAsync(CancellationToken cancellationToken = default) =>
        UseAsync(async () =>
        {
            await using var select = Command(null, "SELECT sequence, taken_at, snapshot FROM snapshots ORDER BY sequence DESC LIMIT 1");
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new StoredSnapshot(reader.GetInt64(0), SqliteTime.Parse(reader.GetString(1)), reader.GetString(2))
                : null;
        }, cancellationToken);

    /// <inheritdoc/>
    public Task SetRunMetadataAsync(string runId, string configYaml, CancellationToken cancellationToken = default)
    {
        StoreInput.RunMetadata(runId, configYaml);
        return UseAsync(async () =>
        {
            await using var transaction = _connection.BeginTransaction(deferred: false);
            var existing = await ReadRunMetadataAsync(transaction, cancellationToken);
            if (StoreRules.CheckRunMetadata(File, existing, runId, configYaml))
            {
                await using var update = Command(transaction,
                    "UPDATE run SET run_id = $run, config_yaml = $config, created_at = $at WHERE id = 1",
                    ("$run", runId), ("$config", configYaml), ("$at", SqliteTime.ToText(StoreClock.Now(_time))));
                await update.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<RunMetadata?> GetRunMetadataAsync(CancellationToken cancellationToken = default) =>
        UseAsync(() => ReadRunMetadataAsync(null, cancellationToken), cancellationToken);

    private async Task<RunMetadata?> ReadRunMetadataAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var select = Command(transaction, "SELECT run_id, config_yaml, created_at FROM run WHERE id = 1 AND run_id IS NOT NULL");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RunMetadata(reader.GetString(0), reader.GetString(1), SqliteTime.Parse(reader.GetString(2)))
            : null;
    }

    /// <summary>Closes the file; the WAL is folded back into it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    // Every call goes through here: one at a time on the one connection, and SQLite's errors
    // become a StoreException naming the file.
    private Task UseAsync(Func<Task> work, CancellationToken cancellationToken) =>
        UseAsync(async () => { await work(); return true; }, cancellationToken);

    private async Task<T> UseAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await work();
        }
        catch (SqliteException error)
        {
            throw SqliteFailure.From(File, error);
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static string? NullableText(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
