using Npgsql;

namespace HyperSwarm.Coordinator.Store.Postgres;

/// <summary>
/// Leadership held as a session advisory lock on a dedicated, unpooled connection: it lasts
/// exactly as long as that session, so a crashed leader's lock is released by the server and
/// a standby takes over without waiting for a timeout.
/// </summary>
public sealed class PostgresLeadershipLease : ILeadershipLease
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly Action<PostgresLeadershipLease> _onRelease;
    private int _disposed;

    internal PostgresLeadershipLease(NpgsqlConnection connection, long key, string runId, long epoch, Action<PostgresLeadershipLease> onRelease)
    {
        _connection = connection;
        _key = key;
        _onRelease = onRelease;
        RunId = runId;
        Epoch = epoch;
    }

    /// <inheritdoc/>
    public string RunId { get; }

    /// <inheritdoc/>
    public long Epoch { get; }

    /// <summary>Releases the lock and closes the session, so a waiting standby takes over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _onRelease(this);
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection);
            unlock.Parameters.AddWithValue("key", _key);
            await unlock.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            // The session is already broken, and the server drops a broken session's locks
            // itself; closing below is all that is left to do.
        }
        await _connection.DisposeAsync();
    }
}
