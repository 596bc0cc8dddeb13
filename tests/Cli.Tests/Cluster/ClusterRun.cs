using System.Net;
using System.Net.Sockets;
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

    public ClusterRun(int population, long totalSteps)
    {
        Population = population;
        TotalSteps = totalSteps;
        Root = Path.Combine(Path.GetTempPath(), "hs-cluster-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Port = FreePort();
        ConfigPath = Path.Combine(Root, "run.yaml");
        File.WriteAllText(ConfigPath, $"""
            seed: 1
            budget: none
            max_steps: {totalSteps * 10}
            data:
              path: {data.Directory}
              batch_size: 32
              eval_batch_size: 100
            model:
              kind: small-cnn
            optimizer:
              kind: adam
            stn:
              warmup_steps: 4
              train_steps: 2
              val_steps: 1
            reporting:
              log_every_steps: 5
              eval_every_steps: 10
              checkpoint_every_steps: 10
            """);
    }

    public int Population { get; }

    public long TotalSteps { get; }

    public string Root { get; }

    public int Port { get; }

    public string ConfigPath { get; }

    public string Database => Path.Combine(Root, "population.db");

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts the coordinator (again, after a kill: the store holds the run).</summary>
    public ChildProcess StartCoordinator() => Start("coordinator",
        "coordinator", "--listen", Address, "--store", "sqlite:" + Database, "--config", ConfigPath,
        "--population", Population.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--total-steps", TotalSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--ready-steps", "20", "--select-every", "2s");

    /// <summary>Starts worker <paramref name="id"/> with <paramref name="slots"/> slots and its own checkpoint folder.</summary>
    /// <remarks>
    /// With <paramref name="shared"/>, every worker uses one checkpoint folder, as a cluster with
    /// shared storage does: the only way a killed worker's checkpoints outlive it.
    /// </remarks>
    public ChildProcess StartWorker(string id, int slots, bool shared = false) => Start(id,
        ["worker", "--join", Address, "--id", id, "--capacity", slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--threads", "1", "--checkpoints", shared ? CheckpointsOf("shared") : CheckpointsOf(id), "--data", data.Directory,
        .. shared ? new[] { "--shared-checkpoints" } : []]);

    public string CheckpointsOf(string workerId) => Path.Combine(Root, workerId);

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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
