using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// A single-node Slurm on this machine, all of it in a temp folder: <c>munged</c> with its own key
/// and socket, <c>slurmctld</c> and <c>slurmd</c> on loopback at free ports, a generated
/// <c>slurm.conf</c> (Slurm's default KillWait, as a site would have it). Debian's
/// <c>slurm-wlm</c> and <c>munge</c> (scripts/setup.sh --tests). Disposing cancels every job,
/// then stops the daemons and deletes the folder.
/// </summary>
internal sealed partial class SlurmCluster : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> daemons = [];

    private SlurmCluster(string root)
    {
        Root = root;
        Node = Dns.GetHostName().Split('.')[0];
        ConfigPath = Path.Combine(root, "slurm.conf");
    }

    /// <summary>The temp folder holding the configuration, state, logs and anything a test puts there.</summary>
    public string Root { get; }

    /// <summary>The one node's name (this host's short name).</summary>
    public string Node { get; }

    /// <summary>The <c>slurm.conf</c> every Slurm command is pointed at (<c>SLURM_CONF</c>).</summary>
    public string ConfigPath { get; }

    /// <summary>What the daemons printed, for failure messages.</summary>
    public string Outputs => string.Join("\n", daemons.Select(d => $"--- {d.Name}\n{d.Output}"));

    /// <summary>The last <paramref name="lines"/> lines of slurmctld's and slurmd's logs: why Slurm ended a job, when a test needs to say.</summary>
    public string DaemonLogTails(int lines = 30) => string.Join("\n", new[] { "slurmctld.log", "slurmd.log" }.Select(name =>
    {
        var path = Path.Combine(Root, name);
        if (!File.Exists(path)) return $"--- (no {name})";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); // the daemon still writes it
        var all = new StreamReader(stream).ReadToEnd().Split('\n');
        return $"--- {name} (last {lines} lines)\n{string.Join('\n', all.TakeLast(lines))}";
    }));

    /// <summary>Starts munged, slurmctld and slurmd, and returns once the node takes jobs.</summary>
    public static async Task<SlurmCluster> StartAsync()
    {
        foreach (var program in new[] { "munged", "slurmctld", "slurmd", "sbatch" })
        {
            if (Locate(program) is null) throw new InvalidOperationException($"{program} was not found: the Slurm tests need Debian's slurm-wlm and munge (bash scripts/setup.sh --tests).");
        }

        var cluster = new SlurmCluster(Directory.CreateTempSubdirectory("hs-slurm-").FullName);
        try
        {
            await cluster.StartDaemonsAsync();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Runs a Slurm client command (<c>sbatch</c>, <c>scancel</c>, <c>scontrol</c>) against this cluster; its stdout, or an exception with its stderr.</summary>
    public async Task<string> RunAsync(string program, IReadOnlyList<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Root };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = ConfigPath;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    /// <summary>A job's state and exit code as <c>scontrol show job</c> reads them (<c>RUNNING</c>, <c>0:0</c>).</summary>
    public async Task<(string State, string ExitCode)> JobAsync(string jobId)
    {
        var text = await RunAsync("scontrol", ["show", "job", jobId]);
        return (JobState().Match(text).Groups[1].Value, JobExitCode().Match(text).Groups[1].Value);
    }

    /// <summary>Waits until job <paramref name="jobId"/> has ended (any state but pending, running, completing).</summary>
    public async Task<(string State, string ExitCode)> WaitForJobEndAsync(string jobId, TimeSpan limit, Func<string> context)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var job = await JobAsync(jobId);
            if (job.State is not ("PENDING" or "RUNNING" or "COMPLETING" or "CONFIGURING" or "SUSPENDED" or "")) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} was still {job.State} after {limit}:\n{context()}\n{Outputs}");
            await Task.Delay(250); // polling slurmctld: the signal is the job's state, this is only its period
        }
    }

    public void Dispose()
    {
        if (daemons.Count == 3)
        {
            // The jobs' processes are not the daemons' children: cancel them (SIGKILL, no grace)
            // while slurmd still runs to do it.
            try
            {
                RunAsync("scancel", ["--signal=KILL", "--full", "--user", Environment.UserName]).Wait();
                RunAsync("scancel", ["--user", Environment.UserName]).Wait();
                WaitForNoJobs();
            }
            catch (AggregateException)
            {
                // The daemons are going anyway; what scancel could not stop ends with them.
            }
        }

        foreach (var d in Enumerable.Reverse(daemons)) d.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process that just died may still hold a file; the temp folder is the OS's to clean.
        }
    }

    private void WaitForNoJobs()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && RunAsync("squeue", ["--noheader", "--format=%i"]).Result.Trim().Length > 0) Thread.Sleep(250);
    }

    private async Task StartDaemonsAsync()
    {
        // munged refuses a key others may read; as root it needs --force for a key it does not
        // own through the munge user, which is fine for a throw-away cluster.
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the Slurm tests need Linux.");
        var key = Path.Combine(Root, "munge.key");
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var socket = Path.Combine(Root, "munge.socket");
        var munged = Start("munged", "munged", ["--foreground", "--force", $"--socket={socket}", $"--key-file={key}",
            $"--log-file={Path.Combine(Root, "munged.log")}", $"--pid-file={Path.Combine(Root, "munged.pid")}", $"--seed-file={Path.Combine(Root, "munged.seed")}"]);
        await munged.WaitForLineAsync(l => l.Contains("Created socket", StringComparison.Ordinal), StartLimit, "its socket");

        Directory.CreateDirectory(Path.Combine(Root, "state"));
        Directory.CreateDirectory(Path.Combine(Root, "spool"));
        File.WriteAllText(ConfigPath, Configuration(socket, FreePort(), FreePort()));
        var controller = Start("slurmctld", "slurmctld", ["-D", "-f", ConfigPath]);
        var node = Start("slurmd", "slurmd", ["-D", "-f", ConfigPath, "-N", Node]);
        await node.WaitForLineAsync(l => l.Contains("slurmd started on", StringComparison.Ordinal), StartLimit, "its start");
        await WaitForIdleNodeAsync(controller);
    }

    // The node comes up "unknown" and becomes "idle" once slurmctld has heard from slurmd.
    private async Task WaitForIdleNodeAsync(ChildProcess controller)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            if (controller.HasExited) throw new InvalidOperationException($"slurmctld exited:\n{Outputs}");
            var state = (await RunAsync("sinfo", ["--noheader", "--format=%t"])).Trim();
            if (state == "idle") return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the Slurm node was still '{state}' after {StartLimit}:\n{Outputs}");
            await Task.Delay(200); // polling slurmctld: the node's state is the signal
        }
    }

    private string Configuration(string mungeSocket, int controllerPort, int nodePort) => $"""
        # A throw-away single-node Slurm for HyperSwarm's recipe tests; KillWait is left at its default.
        ClusterName=hyperswarm-test
        SlurmctldHost={Node}(127.0.0.1)
        SlurmUser={Environment.UserName}
        SlurmdUser={Environment.UserName}
        SlurmctldPort={controllerPort}
        SlurmdPort={nodePort}
        AuthType=auth/munge
        AuthInfo=socket={mungeSocket}
        CredType=cred/munge
        StateSaveLocation={Path.Combine(Root, "state")}
        SlurmdSpoolDir={Path.Combine(Root, "spool")}
        SlurmctldPidFile={Path.Combine(Root, "slurmctld.pid")}
        SlurmdPidFile={Path.Combine(Root, "slurmd.pid")}
        SlurmctldLogFile={Path.Combine(Root, "slurmctld.log")}
        SlurmdLogFile={Path.Combine(Root, "slurmd.log")}
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        JobAcctGatherType=jobacct_gather/none
        SelectType=select/cons_tres
        SelectTypeParameters=CR_CPU
        AccountingStorageType=accounting_storage/none
        JobCompType=jobcomp/none
        MpiDefault=none
        ReturnToService=2
        NodeName={Node} NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} State=UNKNOWN
        PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
        """;

    private ChildProcess Start(string name, string program, IReadOnlyList<string> args)
    {
        var process = ChildProcess.Program(name, Locate(program)!, args);
        daemons.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The daemons live in /usr/sbin, which a test runner's PATH may lack.
    private static string? Locate(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex JobState();

    [GeneratedRegex(@"\bExitCode=(\S+)")]
    private static partial Regex JobExitCode();
}
