using Npgsql;

namespace HyperSwarm.Coordinator.Store.Postgres;

// Creates the store's schema if missing and checks its version (docs/store.md).
internal static class PostgresSchema
{
    public const int Version = 1;

    // "HSSCHEMA": two coordinators starting at once would otherwise race on CREATE ... IF NOT
    // EXISTS, which PostgreSQL does not make atomic (a unique violation on pg_type).
    private const long CreationLockKey = 0x4853_5343_4845_4D41;

    private const string CreateTables = """
        CREATE SCHEMA IF NOT EXISTS hyperswarm;
        CREATE TABLE IF NOT EXISTS hyperswarm.run (
            id             smallint PRIMARY KEY CHECK (id = 1),
            schema_version integer NOT NULL,
            last_sequence  bigint NOT NULL,
            leader_epoch   bigint NOT NULL,
            run_id         text,
            config_yaml    text,
            created_at     timestamptz
        );
        INSERT INTO hyperswarm.run (id, schema_version, last_sequence, leader_epoch)
        VALUES (1, 1, 0, 0) ON CONFLICT (id) DO NOTHING;
        CREATE TABLE IF NOT EXISTS hyperswarm.events (
            sequence    bigint PRIMARY KEY,
            recorded_at timestamptz NOT NULL,
            kind        text NOT NULL,
            member_id   text,
            worker_id   text,
            reason      text,
            payload     text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS hyperswarm.snapshots (
            sequence bigint PRIMARY KEY,
            taken_at timestamptz NOT NULL,
            snapshot text NOT NULL
        );
        CREATE TABLE IF NOT EXISTS hyperswarm.checkpoints (
            member_id      text NOT NULL,
            step           bigint NOT NULL,
            path           text NOT NULL,
            size_bytes     bigint NOT NULL,
            sha256         text NOT NULL,
            worker_address text NOT NULL,
            recorded_at    timestamptz NOT NULL,
            collected_at   timestamptz,
            PRIMARY KEY (member_id, step)
        );
        """;

    public static async Task PrepareAsync(NpgsqlDataSource dataSource, string store, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({CreationLockKey}); {CreateTables}", connection, transaction))
            await create.ExecuteNonQueryAsync(cancellationToken);

        await using var version = new NpgsqlCommand("SELECT schema_version FROM hyperswarm.run WHERE id = 1", connection, transaction);
        var found = (int)(await version.ExecuteScalarAsync(cancellationToken))!;
        if (found > Version)
            throw new StoreException($"The store {store} has schema version {found}, newer than this HyperSwarm understands ({Version}); use a newer HyperSwarm.");
        await transaction.CommitAsync(cancellationToken);
    }
}
