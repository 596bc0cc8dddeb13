using System.Net.Sockets;
using Npgsql;

namespace HyperSwarm.Coordinator.Store.Postgres;

// Turns Npgsql's errors into one sentence naming the server and database (never the password).
internal static class PostgresFailure
{
    // https://www.postgresql.org/docs/current/errcodes-appendix.html
    private const string InvalidCatalogName = "3D000", InvalidPassword = "28P01", InvalidAuthorization = "28000";

    public static StoreException From(PostgresStoreUri uri, NpgsqlException error)
    {
        var server = $"{uri.Host}:{uri.Port}";
        return error switch
        {
            PostgresException { SqlState: InvalidCatalogName } => new StoreException(
                $"The PostgreSQL database '{uri.Database}' does not exist on {server}; create it first (createdb {uri.Database}).", error),
            PostgresException { SqlState: InvalidPassword or InvalidAuthorization } => new StoreException(
                $"The PostgreSQL server at {server} refused user '{uri.Username ?? "(default)"}' for database '{uri.Database}': wrong password or no access.", error),
            PostgresException failure => new StoreException(
                $"The PostgreSQL store {uri} failed: {failure.MessageText.TrimEnd('.')} (SQLSTATE {failure.SqlState}).", error),
            { InnerException: SocketException or TimeoutException or IOException } => new StoreException(
                $"The PostgreSQL server at {server} cannot be reached: {error.InnerException.Message.TrimEnd('.')}.", error),
            _ => new StoreException($"The PostgreSQL store {uri} failed: {error.Message.TrimEnd('.')}.", error),
        };
    }
}
