using System.Net;
using System.Net.Sockets;
using HyperSwarm.Coordinator.Store;
using HyperSwarm.GpuActors.Tests.Training;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// A cluster of real <c>hyperswarm</c> processes on loopback: one coordinator (SQLite store in a
/// temp folder, a fixed free port so a restarted one is found at the same address) and workers
/// joining it, training a tiny population on <see cref="SyntheticImages"/>. Disposing kills
/// every process and deletes the folder.
/// </summary>
internal sealed class ClusterRun : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly List<ChildProcess> processes = [];

    /// <param name="population">Members.</param>
    /// <param name="totalSteps">Steps each member trains.</param>
    /// <param name="readySteps">Steps before selection may replace a member.</param>
    /// <param name="host">The coordinator's listening address (loopback unless a test needs another interface).</param>
    /// <param name="postgres">A PostgreSQL database for the store; null for SQLite in the run's folder.</param>
    /// <param name="memberBudget">The config's <c>budget</c> (<c>none</c>, or a duration every member trains at most).</param>
    /// <param name="checkpointEvery">The config's <c>reporting.checkpoint_every_steps</c>.</param>
    public ClusterRun(int population, long totalSteps, long readySteps = 20, string host = "127.0.0.1", PostgresStoreUri? postgres = null, string memberBudget = "none", int checkpointEvery = 10)
    {
        Host = host;
        Postgres = postgres;
        Population = population;
        TotalSteps = totalSteps;
        ReadySteps = readySteps;
        Root = Path.Combine(Path.GetTempPath(), "hs-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Port = FreePort();
        MetricsPort = FreePort();
        ConfigPath = Path.Combine(Root, "run.yaml");
        File.WriteAllText(ConfigPath, SmallRunConfig.Yaml(data.Directory, memberBudget, totalSteps * 10));
    }

    public int Population { get; }

    public long TotalSteps { get; }

    /// <summary>Steps before a member may be replaced by selection (past <see cref="TotalSteps"/>: never).</summary>
    public long ReadySteps { get; }

    public string Root { get; }

    public int Port { get; }

    /// <summary>The coordinator's Prometheus scrape port (<c>--metrics-listen</c>), fixed like <see cref="Port"/>.</summary>
    public int MetricsPort { get; }

    public string ConfigPath { get; }

    public string Database => Path.Combine(Root, "population.db");

    /// <summary>The PostgreSQL store, when the run has one instead of <see cref="Database"/>.</summary>
    public PostgresStoreUri? Postgres { get; }

    /// <summary>The coordinator's <c>--store</c>: the SQLite file, or the PostgreSQL URI with its password.</summary>
    public string StoreArgument => Postgres is { } pg
        ? $"postgres://{Uri.EscapeDataString(pg.Username!)}:{Uri.EscapeDataString(pg.Password!)}@{pg.Host}:{pg.Port}/{Uri.EscapeDataString(pg.Database)}"
        : "sqlite:" + Database;

    public string Host { get; }

    public string Address => $"{Host}:{Port}";

    /// <summary>Starts the coordinator (again, after a kill: the store holds the run), with <paramref name="extra"/> flags.</summary>
    public ChildProcess StartCoordinator(params string[] extra) => Start("coordinator", [
        "coordinator", "--listen", Address, "--metrics-listen", $"{Host}:{MetricsPort}", "--store", StoreArgument, "--config", ConfigPath,
        "--population", Population.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--total-steps", TotalSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--ready-steps", ReadySteps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--select-every", "2s", .. extra]);

    /// <summary>Starts worker <paramref name="id"/> with <paramref name="slots"/> slots and its own checkpoint folder.</summary>
    /// <remarks>
    /// With <paramref name="shared"/>, every worker uses one checkpoint folder, as a cluster with
    /// shared storage does: the only way a killed worker's checkpoints outlive it.
    /// </remarks>
    /// <remarks>
    /// With <paramref name="netns"/>, the worker runs inside that network namespace (it must
    /// reach <see cref="Host"/> from there).
    /// </remarks>
    /// <remarks>
    /// <paramref name="failpoints"/> goes to <c>HYPERSWARM_FAILPOINTS</c> (faults injected on purpose).
    /// </remarks>
    /// <remarks>
    /// <paramref name="clusterPort"/> fixes the port of its Akka.Remote (a free one otherwise), so
    /// a restarted worker comes back on the same address.
    /// </remarks>
    /// <remarks>
    /// <paramref name="clusterHost"/> is the address its Akka.Remote binds (default <see cref="Host"/>):
    /// cluster nodes reach each other both ways, so one inside a namespace binds its own end.
    /// </remarks>
    public ChildProcess StartWorker(string id, int slots, bool shared = false, string? netns = null, string? failpoints = null, int? clusterPort = null, string? clusterHost = null)
    {
        string[] args = ["worker", "--join", Address, "--id", id, "--capacity", slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--threads", "1", "--checkpoints", shared ? CheckpointsOf("shared") : CheckpointsOf(id), "--data", data.Directory,
            .. shared ? new[] { "--shared-checkpoints" } : [],
            "--cluster-listen", $"{clusterHost ?? Host}:{clusterPort ?? 0}"];
        var environment = failpoints is null ? null : new Dictionary<string, string> { ["HYPERSWARM_FAILPOINTS"] = failpoints };
        var process = new ChildProcess(id, netns is null ? [] : ["ip", "netns", "exec", netns], args, environment);
        processes.Add(process);
        return process;
    }

    public string CheckpointsOf(string workerId) => Path.Combine(Root, workerId);

    /// <summary>What every process printed, by name, for failure messages.</summary>
    public string Outputs => string.Join("\n", processes.Select(p => $"--- {p.Name}{(p.HasExited ? $" (exited {p.ExitCode})" : "")}\n{p.Output}"));

    public void Dispose()
    {
        foreach (var p in processes) p.Dispose();
        data.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed process may still hold a file for a moment; the temp folder is the OS's to clean.
        }
    }

    private ChildProcess Start(string name, params string[] args)
    {
        var process = new ChildProcess(name, args);
        processes.Add(process);
        return process;
    }

    /// <summary>A port free on <see cref="Host"/> now.</summary>
    public int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Parse(Host), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
