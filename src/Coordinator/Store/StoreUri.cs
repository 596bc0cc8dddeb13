using System.Globalization;

namespace HyperSwarm.Coordinator.Store;

/// <summary>
/// Where a run's store lives: <c>sqlite:PATH</c> (the default, one file in the run directory)
/// or <c>postgres://user:pass@host:port/db</c> (also <c>postgresql://</c>) for multi-node runs.
/// </summary>
public abstract record StoreUri
{
    private const string Expected = "use sqlite:PATH or postgres://user:pass@host:port/db";

    /// <summary>The file name of the default store inside a run directory.</summary>
    public const string DefaultFileName = "population.db";

    /// <summary>The default store of a run: <c>sqlite:RUN_DIR/population.db</c>.</summary>
    public static SqliteStoreUri ForRunDirectory(string runDirectory) =>
        new(System.IO.Path.Combine(runDirectory, DefaultFileName));

    /// <summary>Parses a store URI; anything else is a <see cref="StoreException"/> in one sentence.</summary>
    public static StoreUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
            throw new StoreException($"The store URI is empty; {Expected}.");
        if (HasScheme(text, "sqlite:"))
            return ParseSqlite(text["sqlite:".Length..]);
        foreach (var scheme in new[] { "postgres://", "postgresql://" })
        {
            if (HasScheme(text, scheme))
                return ParsePostgres(text[scheme.Length..]);
        }
        // No password can hide in a URI without a known scheme, so echoing it is safe.
        throw new StoreException($"The store URI '{text}' is not supported; {Expected}.");
    }

    private static bool HasScheme(string text, string scheme) =>
        text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase);

    private static SqliteStoreUri ParseSqlite(string path)
    {
        if (path.Length == 0)
            throw new StoreException("The store URI 'sqlite:' names no file; write sqlite:PATH, e.g. sqlite:runs/r1/population.db.");
        return new SqliteStoreUri(path);
    }

    // Messages below never quote the text: it may carry a password.
    private static PostgresStoreUri ParsePostgres(string rest)
    {
        if (rest.Contains('?') || rest.Contains('#'))
            throw PostgresError("has query parameters or a fragment, which are not supported");
        var slash = rest.IndexOf('/');
        if (slash < 0 || slash == rest.Length - 1)
            throw PostgresError("names no database");
        var authority = rest[..slash];
        var database = Uri.UnescapeDataString(rest[(slash + 1)..]);
        if (database.Contains('/'))
            throw PostgresError("has a path deeper than the database name");

        var at = authority.LastIndexOf('@');
        string? username = null, password = null;
        if (at >= 0)
        {
            var userInfo = authority[..at];
            var colon = userInfo.IndexOf(':');
            username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            if (username.Length == 0)
                throw PostgresError("has an '@' but no user name before it");
        }
        var (host, port) = ParseHostPort(authority[(at + 1)..]);
        return new PostgresStoreUri(host, port, database, username, password);
    }

    private static (string Host, int Port) ParseHostPort(string hostPort)
    {
        // IPv6 literals come bracketed ([::1]:5432); their colons are not the port separator.
        var portColon = hostPort.StartsWith('[')
            ? hostPort.IndexOf(':', Math.Max(hostPort.IndexOf(']'), 0))
            : hostPort.LastIndexOf(':');
        var hostText = portColon < 0 ? hostPort : hostPort[..portColon];
        // A percent-encoded host that starts with '/' is a unix socket directory, as in libpq.
        var host = Uri.UnescapeDataString(hostText.Trim('[', ']'));
        if (host.Length == 0)
            throw PostgresError("names no host");
        if (portColon < 0)
            return (host, PostgresStoreUri.DefaultPort);
        var portText = hostPort[(portColon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw PostgresError($"has port '{portText}', which is not a number from 1 to 65535");
        return (host, port);
    }

    private static StoreException PostgresError(string problem) =>
        new($"The PostgreSQL store URI {problem}; write postgres://user:pass@host:port/db.");
}
