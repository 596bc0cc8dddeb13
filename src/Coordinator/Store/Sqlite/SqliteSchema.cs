using Microsoft.Data.Sqlite;

namespace HyperSwarm.Coordinator.Store.Sqlite;

// Prepares an open connection: pragmas, an integrity check, and the tables (docs/store.md).
internal static class SqliteSchema
{
    public const int Version = 1;

    private const string CreateTables = """
        CREATE TABLE IF NOT EXISTS run (
            id             INTEGER PRIMARY KEY CHECK (id = 1),
            schema_version INTEGER NOT NULL,
            run_id         TEXT,
            config_yaml    TEXT,
            created_at     TEXT
        );
        INSERT OR IGNORE INTO run (id, schema_version) VALUES (1, 1);
        -- sequence aliases the rowid: an insert takes max + 1, and since rows are never deleted
        -- no value is ever reused or skipped.
        CREATE TABLE IF NOT EXISTS events (
            sequence    INTEGER PRIMARY KEY,
            recorded_at TEXT NOT NULL,
            kind        TEXT NOT NULL,
            member_id   TEXT,
            worker_id   TEXT,
            reason      TEXT,
            payload     TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS snapshots (
            sequence INTEGER PRIMARY KEY,
            taken_at TEXT NOT NULL,
            snapshot TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS checkpoints (
            member_id      TEXT NOT NULL,
            step           INTEGER NOT NULL,
            path           TEXT NOT NULL,
            size_bytes     INTEGER NOT NULL,
            sha256         TEXT NOT NULL,
            worker_address TEXT NOT NULL,
            recorded_at    TEXT NOT NULL,
            collected_at   TEXT,
            PRIMARY KEY (member_id, step)
        );
        """;

    public static async Task PrepareAsync(SqliteConnection connection, string file, CancellationToken cancellationToken)
    {
        // WAL: readers never block the appender, and a killed process loses no committed event.
        // synchronous=NORMAL: in WAL mode a commit is safe against a crash of the process (the
        // coordinator failure DESIGN.md §5 covers); a power cut may drop the last commits, never corrupt.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;", cancellationToken);
        await CheckIntegrityAsync(connection, file, cancellationToken);
        await ExecuteAsync(connection, CreateTables, cancellationToken);

        await using var version = connection.CreateCommand();
        version.CommandText = "SELECT schema_version FROM run WHERE id = 1";
        var found = Convert.ToInt32(await version.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (found > Version)
            throw new StoreException($"The population store {file} has schema version {found}, newer than this HyperSwarm understands ({Version}); use a newer HyperSwarm.");
    }

    // A truncated file can still open and read its first page; only walking every page
    // finds the damage. quick_check does that (without index cross-checks) in one pass, so
    // a corrupt store is refused at start-up rather than halfway through a replay.
    private static async Task CheckIntegrityAsync(SqliteConnection connection, string file, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check(1)";
        var verdict = (string?)await check.ExecuteScalarAsync(cancellationToken);
        if (verdict != "ok")
            throw SqliteFailure.Corrupt(file, verdict ?? "no verdict");
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
