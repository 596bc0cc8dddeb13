using System.Data.Common;
using System.Text.RegularExpressions;
using HyperSwarm.Coordinator.Store;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>One row of a run's population event log.</summary>
internal sealed record LoggedEvent(long Sequence, string Kind, string? MemberId, string? WorkerId, string Reason);

/// <summary>Reads a coordinator's store (SQLite or PostgreSQL) read-only, as an operator would after (or during) a run.</summary>
internal static partial class EventLog
{
    public static IReadOnlyList<LoggedEvent> Read(ClusterRun cluster) => Read(cluster.Postgres, cluster.Database);

    /// <summary>The event log of the SQLite store at <paramref name="database"/> (a run launched some other way).</summary>
    public static IReadOnlyList<LoggedEvent> Read(string database) => Read(null, database);

    private static IReadOnlyList<LoggedEvent> Read(PostgresStoreUri? postgres, string database) => Query(postgres, database,
        "SELECT sequence, kind, member_id, worker_id, COALESCE(reason, '') FROM {0}events WHERE kind <> 'input' ORDER BY sequence",
        r => new LoggedEvent(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4)));

    /// <summary>Members with a checkpoint past step 0 the coordinator has registered (a worker's notice reached the store).</summary>
    public static IReadOnlyList<string> CheckpointedMembers(ClusterRun cluster) => Query(cluster.Postgres, cluster.Database,
        "SELECT member_id FROM {0}checkpoints WHERE step > 0", r => r.GetString(0));

    /// <summary>Every checkpoint past step 0 the coordinator has registered and not collected, by member and step.</summary>
    public static IReadOnlyList<(string MemberId, long Step, string Path)> Checkpoints(ClusterRun cluster) => Checkpoints(cluster.Postgres, cluster.Database);

    /// <summary>As <see cref="Checkpoints(ClusterRun)"/>, for the SQLite store at <paramref name="database"/>.</summary>
    public static IReadOnlyList<(string MemberId, long Step, string Path)> Checkpoints(string database) => Checkpoints(null, database);

    private static IReadOnlyList<(string MemberId, long Step, string Path)> Checkpoints(PostgresStoreUri? postgres, string database) => Query(postgres, database,
        "SELECT member_id, step, path FROM {0}checkpoints WHERE step > 0 AND collected_at IS NULL ORDER BY member_id, step",
        r => (r.GetString(0), r.GetInt64(1), r.GetString(2)));

    // Read-only, as an operator would, during or after a run; a store the coordinator has not
    // created yet reads as empty. {0} is the schema prefix (PostgreSQL keeps the run in its own).
    private static List<T> Query<T>(PostgresStoreUri? postgres, string database, string sql, Func<DbDataReader, T> row)
    {
        using DbConnection? connection = postgres is not null ? OpenPostgres(postgres) : OpenSqlite(database);
        var found = new List<T>();
        if (connection is null) return found;
        using var command = connection.CreateCommand();
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, postgres is null ? "" : "hyperswarm.");
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read()) found.Add(row(reader));
        }
        catch (DbException e) when (e is SqliteException or PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName })
        {
            // Not created yet.
        }

        return found;
    }

    private static SqliteConnection? OpenSqlite(string path)
    {
        if (!File.Exists(path)) return null;
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static NpgsqlConnection OpenPostgres(PostgresStoreUri uri)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port, Database = uri.Database, Username = uri.Username, Password = uri.Password, Pooling = false,
        }.ConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Fencing as the log shows it: every assignment of a member (start, restore, restart, move)
    /// names a new epoch, strictly above the one before, so at most one worker holds a live
    /// assignment of a member at any time; the assignment's worker is returned per event.
    /// </summary>
    public static void AssertAssignmentsFenced(IReadOnlyList<LoggedEvent> events)
    {
        var last = new Dictionary<string, long>();
        foreach (var e in events.Where(e => e.MemberId is not null))
        {
            if (EpochOf().Match(e.Reason) is not { Success: true } m) continue;
            if (e.Kind is not ("member_started" or "member_restored" or "member_restarted" or "member_moved" or "exploit")) continue;
            var epoch = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (last.TryGetValue(e.MemberId!, out var previous) && epoch <= previous)
                throw new Xunit.Sdk.XunitException($"member {e.MemberId} was assigned epoch {epoch} at #{e.Sequence} after epoch {previous}: two live assignments.");
            last[e.MemberId!] = epoch;
        }
    }

    [GeneratedRegex(@"^epoch (\d+):")]
    private static partial Regex EpochOf();
}
