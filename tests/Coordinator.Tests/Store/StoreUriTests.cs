using HyperSwarm.Coordinator.Store;

namespace HyperSwarm.Coordinator.Tests.Store;

public sealed class StoreUriTests
{
    [Theory]
    [InlineData("sqlite:population.db", "population.db")]
    [InlineData("sqlite:/runs/r1/population.db", "/runs/r1/population.db")]
    [InlineData("SQLite:runs/with space/p.db", "runs/with space/p.db")]
    public void A_sqlite_uri_names_its_file(string text, string path) =>
        Assert.Equal(new SqliteStoreUri(path), StoreUri.Parse(text));

    [Fact]
    public void A_postgres_uri_gives_every_part() =>
        Assert.Equal(new PostgresStoreUri("db.cluster", 6543, "hyperswarm", "coord", "secret"),
            StoreUri.Parse("postgres://coord:secret@db.cluster:6543/hyperswarm"));

    [Fact]
    public void The_postgresql_scheme_is_the_same_and_the_port_defaults_to_5432() =>
        Assert.Equal(new PostgresStoreUri("db", 5432, "runs", "coord", null), StoreUri.Parse("postgresql://coord@db/runs"));

    [Fact]
    public void User_password_and_database_are_percent_decoded() =>
        Assert.Equal(new PostgresStoreUri("h", 5432, "my db", "a@b", "p:@/%"),
            StoreUri.Parse("postgres://a%40b:p%3A%40%2F%25@h/my%20db"));

    [Fact]
    public void An_ipv6_host_is_read_between_brackets() =>
        Assert.Equal(new PostgresStoreUri("::1", 5433, "d", null, null), StoreUri.Parse("postgres://[::1]:5433/d"));

    [Fact]
    public void A_percent_encoded_absolute_host_is_a_unix_socket_directory() =>
        Assert.Equal(new PostgresStoreUri("/var/run/postgresql", 5432, "d", "u", null),
            StoreUri.Parse("postgres://u@%2Fvar%2Frun%2Fpostgresql/d"));

    [Fact]
    public void The_run_directory_default_is_population_db_inside_it() =>
        Assert.Equal(new SqliteStoreUri(Path.Combine("runs", "r1", "population.db")), StoreUri.ForRunDirectory(Path.Combine("runs", "r1")));

    [Fact]
    public void A_postgres_uri_prints_without_its_password()
    {
        var uri = StoreUri.Parse("postgres://coord:hunter2@db:5432/runs");

        Assert.Equal("postgres://coord:***@db:5432/runs", uri.ToString());
    }

    [Theory]
    [InlineData("", "The store URI is empty; use sqlite:PATH or postgres://user:pass@host:port/db.")]
    [InlineData("population.db", "The store URI 'population.db' is not supported; use sqlite:PATH or postgres://user:pass@host:port/db.")]
    [InlineData("mysql://u:p@h/d", "The store URI 'mysql://u:p@h/d' is not supported; use sqlite:PATH or postgres://user:pass@host:port/db.")]
    [InlineData("sqlite:", "The store URI 'sqlite:' names no file; write sqlite:PATH, e.g. sqlite:runs/r1/population.db.")]
    [InlineData("postgres://u:p@h:5432", "The PostgreSQL store URI names no database; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://u:p@h:5432/", "The PostgreSQL store URI names no database; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://u:p@:5432/d", "The PostgreSQL store URI names no host; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://u:p@h:99999/d", "The PostgreSQL store URI has port '99999', which is not a number from 1 to 65535; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://u:p@h:x/d", "The PostgreSQL store URI has port 'x', which is not a number from 1 to 65535; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://:p@h/d", "The PostgreSQL store URI has an '@' but no user name before it; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://u:p@h/d/x", "The PostgreSQL store URI has a path deeper than the database name; write postgres://user:pass@host:port/db.")]
    [InlineData("postgres://u:p@h/d?sslmode=require", "The PostgreSQL store URI has query parameters or a fragment, which are not supported; write postgres://user:pass@host:port/db.")]
    public void Anything_else_is_refused_in_one_sentence(string text, string message) =>
        Assert.Equal(message, Assert.Throws<StoreException>(() => StoreUri.Parse(text)).Message);

    [Fact]
    public void A_refused_postgres_uri_never_echoes_its_password()
    {
        var error = Assert.Throws<StoreException>(() => StoreUri.Parse("postgres://u:hunter2@h:0/d"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
