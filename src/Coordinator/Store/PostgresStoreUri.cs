namespace HyperSwarm.Coordinator.Store;

/// <summary>A shared store on a PostgreSQL server; the database must exist, the schema need not.</summary>
/// <param name="Host">Host name, IP address, or a unix socket directory (starts with '/').</param>
/// <param name="Port">TCP port, or the socket file's port suffix.</param>
/// <param name="Database">The database holding the run.</param>
/// <param name="Username">Login role; null lets the driver use PGUSER or the OS user.</param>
/// <param name="Password">Password; null lets the driver use PGPASSWORD or ~/.pgpass.</param>
public sealed record PostgresStoreUri(string Host, int Port, string Database, string? Username, string? Password) : StoreUri
{
    /// <summary>PostgreSQL's default port.</summary>
    public const int DefaultPort = 5432;

    /// <summary>The URI without its password, safe for logs and error messages.</summary>
    public override string ToString()
    {
        var user = Username is null ? "" : Uri.EscapeDataString(Username) + (Password is null ? "@" : ":***@");
        var host = Host.StartsWith('/') ? Uri.EscapeDataString(Host) : Host.Contains(':') ? $"[{Host}]" : Host;
        return $"postgres://{user}{host}:{Port}/{Uri.EscapeDataString(Database)}";
    }
}
