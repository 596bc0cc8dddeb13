using Npgsql;

namespace HyperSwarm.Coordinator.Store.Postgres;

// Leader election: a session advisory lock on a run-derived key, plus an epoch that fences
// the writes of a leader that lost its session without noticing (docs/store.md).
public sealed partial class PostgresPopulationStore
{
    private PostgresLeadershipLease? _lease;
    private long _fenceEpoch;

    // 0 until this store wins an election; afterwards every write checks it still matches.
    private long FenceEpoch => Interlocked.Read(ref _fenceEpoch);

    /// <inheritdoc/>
    public Task<ILeadershipLease?> TryAcquireLeadershipAsync(string runId, CancellationToken cancellationToken = default) =>
        AcquireAsync(runId, "pg_try_advisory_lock", cancellationToken);

    /// <inheritdoc/>
    public async Task<ILeadershipLease> WaitForLeadershipAsync(string runId, CancellationToken cancellationToken = default) =>
        // pg_advisory_lock blocks in the server until the holder's session ends or unlocks; the
        // token cancels the wait with a protocol-level cancel request.
        (await AcquireAsync(runId, "pg_advisory_lock", cancellationToken))!;

    private async Task<ILeadershipLease?> AcquireAsync(string runId, string lockFunction, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        // A second session of the same store would wait on its own lock forever.
        if (Volatile.Read(ref _lease) is { } held)
            throw new InvalidOperationException($"This store already leads run '{held.RunId}'; dispose that lease first.");
        var key = LeadershipKey.For(runId);
        // Unpooled: closing must end the session (and with it the lock), not park it in a pool.
        var connection = new NpgsqlConnection(ConnectionString(_uri, "hyperswarm-leader", pooling: false));
        PostgresLeadershipLease? lease = null;
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using (var acquire = Command(connection, null, $"SELECT {lockFunction}(@key)", ("key", key)))
            {
                // pg_advisory_lock returns void (DBNull); only the try variant can answer false.
                if (await acquire.ExecuteScalarAsync(cancellationToken) is false)
                    return null;
            }
            var epoch = await BeginEpochAsync(connection, runId, cancellationToken);
            lease = new PostgresLeadershipLease(connection, key, runId, epoch, Released);
            Interlocked.Exchange(ref _fenceEpoch, epoch);
            Interlocked.Exchange(ref _lease, lease);
            return lease;
        }
        catch (NpgsqlException error)
        {
            throw PostgresFailure.From(_uri, error);
        }
        finally
        {
            // Not leading after all (lock busy, another run's store, cancelled, failed): closing
            // the session also releases a lock it may have taken.
            if (lease is null)
                await connection.DisposeAsync();
        }
    }

    // Refuses a store that belongs to another run, then bumps the epoch. The bump takes the run
    // row's lock, so it waits for the previous leader's writes in flight, and fences the rest.
    private async Task<long> BeginEpochAsync(NpgsqlConnection connection, string runId, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var owner = Command(connection, transaction, "SELECT run_id FROM hyperswarm.run WHERE id = 1 FOR UPDATE"))
        {
            if (await owner.ExecuteScalarAsync(cancellationToken) is string storedRun && storedRun != runId)
                throw new StoreException($"The store {_uri} belongs to run '{storedRun}', so a coordinator of run '{runId}' cannot lead it.");
        }
        await using var bump = Command(connection, transaction,
            "UPDATE hyperswarm.run SET leader_epoch = leader_epoch + 1 WHERE id = 1 RETURNING leader_epoch");
        var epoch = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return epoch;
    }

    private void Released(PostgresLeadershipLease lease) =>
        Interlocked.CompareExchange(ref _lease, null, lease);
}
