using Npgsql;

namespace HyperSwarm.Coordinator.Store.Postgres;

// The checkpoint registry part of the PostgreSQL store.
public sealed partial class PostgresPopulationStore
{
    private const string CheckpointColumns = "member_id, step, path, size_bytes, sha256, worker_address, recorded_at, collected_at";

    /// <inheritdoc/>
    public Task RecordCheckpointAsync(
        string memberId, long step, string path, long sizeBytes, string sha256, string workerAddress,
        CancellationToken cancellationToken = default)
    {
        StoreInput.Checkpoint(memberId, step, path, sizeBytes, sha256, workerAddress);
        return FencedWriteAsync($"""
            INSERT INTO hyperswarm.checkpoints ({CheckpointColumns})
            VALUES (@member, @step, @path, @size, @sha, @worker, @at, NULL)
            ON CONFLICT (member_id, step) DO UPDATE SET
                path = excluded.path, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                worker_address = excluded.worker_address, recorded_at = excluded.recorded_at, collected_at = NULL
            """, cancellationToken,
            ("member", memberId), ("step", step), ("path", path), ("size", sizeBytes), ("sha", sha256),
            ("worker", workerAddress), ("at", StoreClock.Now(_time)));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CheckpointRecord>> ListCheckpointsAsync(string memberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        return ReadCheckpointsAsync(
            $"SELECT {CheckpointColumns} FROM hyperswarm.checkpoints WHERE member_id = @member ORDER BY step",
            cancellationToken, ("member", memberId));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CheckpointRecord>> ListAllCheckpointsAsync(CancellationToken cancellationToken = default) =>
        // COLLATE "C": order by code point, as SQLite does, whatever the database's collation.
        ReadCheckpointsAsync(
            $"SELECT {CheckpointColumns} FROM hyperswarm.checkpoints ORDER BY member_id COLLATE \"C\", step", cancellationToken);

    /// <inheritdoc/>
    public async Task MarkCollectedAsync(CheckpointKey checkpoint, CancellationToken cancellationToken = default)
    {
        StoreInput.Key(checkpoint);
        // COALESCE keeps the first collection time, so marking twice is harmless.
        var updated = await FencedWriteAsync(
            "UPDATE hyperswarm.checkpoints SET collected_at = COALESCE(collected_at, @at) WHERE member_id = @member AND step = @step",
            cancellationToken, ("at", StoreClock.Now(_time)), ("member", checkpoint.MemberId), ("step", checkpoint.Step));
        if (updated == 0)
            throw StoreRules.UnknownCheckpoint(_uri.ToString(), checkpoint);
    }

    // A registry write made under a shared lock on the run row, so a coordinator that lost
    // leadership cannot register or collect checkpoints behind the new leader's back.
    private Task<int> FencedWriteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        UseAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await LockRunRowAsync(connection, transaction, "FOR SHARE", cancellationToken);
            await using var write = Command(connection, transaction, sql, parameters);
            var rows = await write.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows;
        }, cancellationToken);

    private Task<IReadOnlyList<CheckpointRecord>> ReadCheckpointsAsync(
        string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        UseAsync<IReadOnlyList<CheckpointRecord>>(async connection =>
        {
            await using var select = Command(connection, null, sql, parameters);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            var records = new List<CheckpointRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(new CheckpointRecord(
                    reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
            }
            return records;
        }, cancellationToken);
}
