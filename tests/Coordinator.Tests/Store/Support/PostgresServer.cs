using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HyperSwarm.Coordinator.Store;
using Npgsql;

namespace HyperSwarm.Coordinator.Tests.Store.Support;

/// <summary>
/// A real, throw-away PostgreSQL server for the tests: Debian's initdb and pg_ctl on a temp data
/// directory, a free TCP port on loopback (password login) and a unix socket in the same temp
/// directory (trusted, for administration). initdb refuses to run as root, so under root the
/// server runs as the postgres system user. It is stopped and its directory deleted at the end.
/// Databases are recycled between tests (CREATE DATABASE copies a template and costs far more
/// than a test): a returned one loses its sessions and its schema, so the next test again
/// finds a database the store has never seen.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string User = "hyperswarm";

    // Needs percent-encoding in a URI, so the tests go through the parser's decoding end to end.
    public const string Password = "p@ss:w/rd%";

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);
    private readonly ConcurrentBag<string> _idleDatabases = [];
    private int _databasesCreated;

    private string _bin = "";
    private string _root = "";
    private bool _asPostgresUser;

    public int Port { get; private set; }

    public string SocketDirectory => Path.Combine(_root, "socket");

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "server.log");

    public async Task InitializeAsync()
    {
        _bin = FindBinaries();
        _asPostgresUser = (await ExternalProcess.RunAsync("id", ["-u"], ToolTimeout)).Trim() == "0";
        if (_asPostgresUser)
            await RequirePostgresUserAsync();

        _root = Directory.CreateTempSubdirectory("hs-pg-").FullName;
        Directory.CreateDirectory(SocketDirectory);
        var passwordFile = Path.Combine(_root, "password");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (_asPostgresUser)
            await ExternalProcess.RunAsync("chown", ["-R", "postgres:postgres", _root], ToolTimeout);

        await RunToolAsync("initdb",
            "-D", DataDirectory, "-U", User, "--pwfile", passwordFile, "-E", "UTF8", "--no-sync",
            "--auth-local=trust", "--auth-host=scram-sha-256");
        await StartAsync();
    }

    /// <summary>An empty database, as a URI that logs in over TCP with the password.</summary>
    public async Task<PostgresStoreUri> RentDatabaseAsync()
    {
        if (!_idleDatabases.TryTake(out var name))
        {
            name = $"hs_test_{Interlocked.Increment(ref _databasesCreated)}";
            await using var connection = await OpenAdminConnectionAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new PostgresStoreUri("127.0.0.1", Port, name, User, Password);
    }

    /// <summary>Empties a rented database (sessions, locks, schema) for the next test.</summary>
    public async Task ReturnDatabaseAsync(PostgresStoreUri uri)
    {
        await using var connection = await OpenAdminConnectionAsync(uri.Database);
        await using var reset = new NpgsqlCommand("""
            SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid();
            DROP SCHEMA IF EXISTS hyperswarm CASCADE;
            """, connection);
        await reset.ExecuteNonQueryAsync();
        _idleDatabases.Add(uri.Database);
    }

    /// <summary>A superuser session over the unix socket, for what tests do behind the store's back.</summary>
    public async Task<NpgsqlConnection> OpenAdminConnectionAsync(string database = "postgres")
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory, Port = Port, Username = User, Database = database, Pooling = false,
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        if (_root.Length == 0)
            return;
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            await RunToolAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        Directory.Delete(_root, recursive: true);
    }

    // pg_ctl -w returns once the server accepts connections, so no sleep is needed. A port
    // taken between choosing and binding it is the one failure worth another try.
    private async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await RunToolAsync("pg_ctl", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o",
                    $"-p {Port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start");
                return;
            }
            catch (InvalidOperationException failure)
            {
                var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "(no server log)";
                if (attempt < 3 && log.Contains("Address already in use", StringComparison.Ordinal))
                    continue;
                throw new InvalidOperationException($"The test PostgreSQL server did not start: {failure.Message}\nServer log:\n{log}", failure);
            }
        }
    }

    private Task<string> RunToolAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        return _asPostgresUser
            ? ExternalProcess.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], ToolTimeout)
            : ExternalProcess.RunAsync(path, arguments, ToolTimeout);
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(candidate => File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
                .OrderByDescending(candidate => int.TryParse(Path.GetFileName(Path.GetDirectoryName(candidate)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"The PostgreSQL store tests need a real server, but initdb and pg_ctl were not found under {root}/*/bin; run scripts/setup.sh, which installs Debian's postgresql package.");
    }

    private static async Task RequirePostgresUserAsync()
    {
        try
        {
            await ExternalProcess.RunAsync("id", ["postgres"], ToolTimeout);
        }
        catch (InvalidOperationException missing)
        {
            throw new InvalidOperationException(
                "The tests run as root, where initdb refuses to work, and there is no 'postgres' system user to run the server as; install Debian's postgresql package (scripts/setup.sh) or run the tests as another user.", missing);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
