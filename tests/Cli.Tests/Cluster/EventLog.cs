using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>One row of a run's population event log.</summary>
internal sealed record LoggedEvent(long Sequence, string Kind, string? MemberId, string? WorkerId, string Reason);

/// <summary>Reads a coordinator's SQLite store read-only, as an operator would after (or during) a run.</summary>
internal static partial class EventLog
{
    public static IReadOnlyList<LoggedEvent> Read(string databasePath)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, kind, member_id, worker_id, COALESCE(reason, '') FROM events WHERE kind <> 'input' ORDER BY sequence";
        using var reader = command.ExecuteReader();
        var events = new List<LoggedEvent>();
        while (reader.Read())
        {
            events.Add(new LoggedEvent(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4)));
        }

        return events;
    }

    /// <summary>Members with a checkpoint past step 0 the coordinator has registered (a worker's notice reached the store).</summary>
    public static IReadOnlyList<string> CheckpointedMembers(string databasePath)
    {
        if (!File.Exists(databasePath)) return [];
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT member_id FROM checkpoints WHERE step > 0";
        try
        {
            using var reader = command.ExecuteReader();
            var paths = new List<string>();
            while (reader.Read()) paths.Add(reader.GetString(0));
            return paths;
        }
        catch (SqliteException)
        {
            return []; // not created yet
        }
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

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    [GeneratedRegex(@"^epoch (\d+):")]
    private static partial Regex EpochOf();
}
