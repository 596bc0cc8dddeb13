using Microsoft.Data.Sqlite;

namespace HyperSwarm.Coordinator.Store.Sqlite;

// The checkpoint registry part of the SQLite store.
public sealed partial class SqlitePopulationStore
{
    private const string CheckpointColumns = "member_id, step, path, size_bytes, sha256, worker_address, recorded_at, collected_at";

    /// <inheritdoc/>
    public Task RecordCheckpointAsync(
        string memberId, long step, string path, long sizeBytes, string sha256, string workerAddress,
        CancellationToken cancellationToken = default)
    {
        StoreInput.Checkpoint(memberId, step, path, sizeBytes, sha256, workerAddress);
        return UseAsync(async () =>
        {
            await using var upsert = Command(null, $"""
                INSERT INTO checkpoints ({CheckpointColumns})
                VALUES ($member, $step, $path, $size, $sha, $worker, $at, NULL)
                ON CONFLICT (member_id, step) DO UPDATE SET
                    path = excluded.path, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                    worker_address = excluded.worker_address, recorded_at = excluded.recorded_at, collected_at = NULL
                """,
                ("$member", memberId), ("$step", step), ("$path", path), ("$size", sizeBytes), ("$sha", sha256),
                ("$worker", workerAddress), ("$at", SqliteTime.ToText(StoreClock.Now(_time))));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CheckpointRecord>> ListCheckpointsAsync(string memberId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        return UseAsync(() => ReadCheckpointsAsync(
            $"SELECT {CheckpointColumns} FROM checkpoints WHERE member_id = $member ORDER BY step",
            cancellationToken, ("$member", memberId)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<CheckpointRecord>> ListAllCheckpointsAsync(CancellationToken cancellationToken = default) =>
        UseAsync(() => ReadCheckpointsAsync(
            $"SELECT {CheckpointColumns} FROM checkpoints ORDER BY member_id, step", cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task MarkCollectedAsync(CheckpointKey checkpoint, CancellationToken cancellationToken = default)
    {
        StoreInput.Key(checkpoint);
        return UseAsync(async () =>
        {
            // COALESCE keeps the first collection time, so marking twice is harmless.
            await using var update = Command(null,
                "UPDATE checkpoints SET collected_at = COALESCE(collected_at, $at) WHERE member_id = $member AND step = $step",
                ("$at", SqliteTime.ToText(StoreClock.Now(_time))), ("$member", checkpoint.MemberId), ("$step", checkpoint.Step));
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw StoreRules.UnknownCheckpoint(File, checkpoint);
        }, cancellationToken);
    }

    private async Task<IReadOnlyList<CheckpointRecord>> ReadCheckpointsAsync(
        string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var select = Command(null, sql, parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var records = new List<CheckpointRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new CheckpointRecord(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), SqliteTime.Parse(reader.GetString(6)),
                reader.IsDBNull(7) ? null : SqliteTime.Parse(reader.GetString(7))));
        }
        return records;
    }
}
