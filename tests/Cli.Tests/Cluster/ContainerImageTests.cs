using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using HyperSwarm.GpuActors.Tests.Training;
using static HyperSwarm.Cli.Tests.Cluster.KubernetesManifest;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// What can be tested of the container image without Docker (no daemon, no registry here): the
/// Dockerfile against its build context, the entrypoint and the recipes' scripts under
/// shellcheck, the entrypoint's own logic, and the Kubernetes manifest's two command lines run
/// through the entrypoint on this machine until the run completes.
/// </summary>
[Collection("cluster processes")] // the last test runs a cluster: they share the cores
public sealed partial class ContainerImageTests : IDisposable
{
    private static readonly string Root = DependencyArrowTests.RepoRoot();
    private static readonly string Entrypoint = Path.Combine(Root, "config", "cluster", "container", "entrypoint.sh");
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-container-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task The_entrypoint_and_the_Slurm_scripts_pass_shellcheck()
    {
        var (code, output) = await RunAsync("shellcheck", [Entrypoint, .. new[] { "hyperswarm.sbatch", "worker.sh" }.Select(f => Path.Combine(Root, "config", "cluster", "slurm", f))]);

        Assert.True(code == 0, output);
    }

    [Theory]
    [InlineData(new[] { "worker", "--devices", "cuda:0,cuda:1" }, "8", "--threads 4")]
    [InlineData(new[] { "worker", "--devices=cuda:0,cuda:1,cuda:2", "--capacity", "6" }, "12", "--threads 2")]
    [InlineData(new[] { "worker" }, "3", "--threads 3")]
    [InlineData(new[] { "worker", "--devices", "cuda:0,cuda:1", "--threads", "7" }, "8", "--threads 7")]
    [InlineData(new[] { "worker", "--devices", "cuda:0,cuda:1,cuda:2,cuda:3" }, "2", "--threads 1")]
    public async Task A_worker_without_threads_gets_its_cpu_limit_shared_among_its_member_slots(string[] args, string cpus, string threads)
    {
        var home = FakeApp();

        var (code, output) = await RunAsync(Entrypoint, args, new() { ["HYPERSWARM_HOME"] = home, ["HYPERSWARM_CPUS"] = cpus });

        Assert.Equal(0, code);
        Assert.Equal($"{string.Join(' ', args)}{(args.Contains("--threads") ? "" : " " + threads)}", ArgsLine(output));
        Assert.Contains(threads, ArgsLine(output), StringComparison.Ordinal);
        Assert.Contains($"HS_TORCH_LIB={home}/libhstorch.so", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_coordinator_line_is_passed_on_as_is()
    {
        var home = FakeApp();
        string[] args = ["coordinator", "--listen", "0.0.0.0:7070", "--population", "8"];

        var (code, output) = await RunAsync(Entrypoint, args, new() { ["HYPERSWARM_HOME"] = home, ["HYPERSWARM_CPUS"] = "2" });

        Assert.Equal(0, code);
        Assert.Equal(string.Join(' ', args), ArgsLine(output));
    }

    [Theory]
    [InlineData("no-shim", "the libtorch shim")]
    [InlineData("no-app", "is not an executable")]
    [InlineData("bad-cpus", "HYPERSWARM_CPUS must be a whole number of CPUs, got '1.5'.")]
    public async Task An_unusable_setting_is_one_sentence_and_exit_code_2(string mistake, string sentence)
    {
        var home = FakeApp();
        if (mistake == "no-shim") File.Delete(Path.Combine(home, "libhstorch.so"));
        if (mistake == "no-app") File.Delete(Path.Combine(home, "hyperswarm"));

        var (code, output) = await RunAsync(Entrypoint, ["worker"], new() { ["HYPERSWARM_HOME"] = home, ["HYPERSWARM_CPUS"] = mistake == "bad-cpus" ? "1.5" : "2" });

        Assert.Equal(2, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("hyperswarm-entrypoint: ", line, StringComparison.Ordinal);
        Assert.Contains(sentence, line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Dockerfile_copies_only_what_its_build_context_holds_and_sets_the_shim_in_both_images()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "config", "cluster", "container", "Dockerfile"));
        var stages = dockerfile.Select(l => Stage().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["app", "shim-cpu", "shim-cuda", "cpu", "cuda"], stages);

        foreach (var copy in dockerfile.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[1].StartsWith("--from=", StringComparison.Ordinal)) Assert.Contains(parts[1]["--from=".Length..], stages);
            else Assert.True(parts[1] == "." || Path.Exists(Path.Combine(Root, parts[1])), $"{parts[1]} is not in the build context");
        }

        // Each runtime stage: the entrypoint copied where ENTRYPOINT names it, HS_TORCH_LIB at the shim it copies.
        foreach (var stage in new[] { "cpu", "cuda" })
        {
            var lines = StageLines(dockerfile, stage);
            Assert.Contains("COPY config/cluster/container/entrypoint.sh /usr/local/bin/hyperswarm-entrypoint", lines);
            Assert.Contains("ENTRYPOINT [\"/usr/local/bin/hyperswarm-entrypoint\"]", lines);
            Assert.Contains(lines, l => l.Contains("/build/libhstorch.so /opt/hyperswarm/libhstorch.so", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("HS_TORCH_LIB=/opt/hyperswarm/libhstorch.so", StringComparison.Ordinal));
            Assert.Contains("USER 10001", lines); // the manifest's runAsUser
        }

        var ignored = File.ReadAllLines(Path.Combine(Root, "config", "cluster", "container", "Dockerfile.dockerignore"));
        Assert.Contains("**/bin", ignored);
        Assert.Contains("**/obj", ignored);
        Assert.Contains("artifacts", ignored);
    }

    [Fact]
    public async Task The_manifests_command_lines_run_through_the_entrypoint_and_the_run_completes()
    {
        using var data = new SyntheticImages();
        var manifest = KubernetesManifest.Load();
        var config = Path.Combine(folder.FullName, "run.yaml");
        File.WriteAllText(config, $"seed: 1\nbudget: none\nmax_steps: 30\ndata:\n  path: {data.Directory}\n  batch_size: 32\n  eval_batch_size: 100\n" +
            "model:\n  kind: small-cnn\noptimizer:\n  kind: adam\nstn:\n  warmup_steps: 4\n  train_steps: 2\n  val_steps: 1\nreporting:\n  log_every_steps: 5\n  eval_every_steps: 10\n  checkpoint_every_steps: 10\n");
        var checkpoints = Directory.CreateDirectory(Path.Combine(folder.FullName, "checkpoints")).FullName;

        // What differs on this machine: free ports for the fixed ones, loopback names for the
        // Services' DNS names, the paths the volumes would mount, one worker with one CPU slot
        // instead of four with two GPUs each, so one member instead of eight.
        var ports = new[] { "7070", "7071", "7072", "9464" }.ToDictionary(p => p, _ => FreePort().ToString(CultureInfo.InvariantCulture));
        var coordinatorAkka = FreePort().ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["HYPERSWARM_HOME"] = AppContext.BaseDirectory,
            ["HYPERSWARM_CLUSTER_TOKEN"] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["HYPERSWARM_STORE"] = "sqlite:" + Path.Combine(folder.FullName, "population.db"),
            ["POD_IP"] = "127.0.0.1",
            ["WORKER_INDEX"] = "0",
            ["HYPERSWARM_CPUS"] = "2",
            ["NO_COLOR"] = "1",
        };
        string Local(string arg, bool coordinator)
        {
            arg = Variable().Replace(arg, m => environment[m.Groups[1].Value]);
            arg = arg.Replace("hyperswarm-worker-0.hyperswarm-worker", "localhost", StringComparison.Ordinal).Replace("hyperswarm-coordinator", "127.0.0.1", StringComparison.Ordinal);
            foreach (var (port, free) in ports) arg = Regex.Replace(arg, $":{port}$", ":" + (coordinator && port == "7072" ? coordinatorAkka : free));
            return arg switch { "/etc/hyperswarm/run.yaml" => config, "/checkpoints" => checkpoints, "8" => "1", "cuda:0,cuda:1" => "cpu", _ => arg };
        }

        string[] coordinatorArgs = [.. Args(Container(manifest.Get("Job", "hyperswarm-coordinator"))).Select(a => Local(a, coordinator: true))];
        string[] workerArgs = [.. Args(Container(manifest.Get("Job", "hyperswarm-worker"))).Select(a => Local(a, coordinator: false))];
        using var coordinator = ChildProcess.Program("coordinator", Entrypoint, coordinatorArgs, environment);
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), TimeSpan.FromSeconds(90), "its address");
        using var worker = ChildProcess.Program("worker", Entrypoint, workerArgs, environment);

        var code = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"{coordinator.Output}\n--- worker\n{worker.Output}");
        Assert.Contains("best member", coordinator.Output, StringComparison.Ordinal);
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("drained by the coordinator", worker.Output, StringComparison.Ordinal);
        Assert.Contains("hyperswarm worker hyperswarm-worker-0", worker.Output, StringComparison.Ordinal);
        Assert.True(Directory.GetDirectories(checkpoints).Select(Path.GetFileName).Order(StringComparer.Ordinal).SequenceEqual(["m00"]), $"{coordinator.Output}\n--- worker\n{worker.Output}");
    }

    // An app folder whose `hyperswarm` prints what it was given, and an (empty) shim beside it.
    private string FakeApp()
    {
        var home = Directory.CreateDirectory(Path.Combine(folder.FullName, "app-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var app = Path.Combine(home, "hyperswarm");
        File.WriteAllText(app, "#!/bin/sh\necho \"HS_TORCH_LIB=$HS_TORCH_LIB\"\necho \"args: $*\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(app, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(home, "libhstorch.so"), "");
        return home;
    }

    private static string ArgsLine(string output) =>
        output.Split('\n').Single(l => l.StartsWith("args: ", StringComparison.Ordinal))["args: ".Length..];

    private static List<string> StageLines(string[] dockerfile, string stage)
    {
        var start = Array.FindIndex(dockerfile, l => l.EndsWith($" AS {stage}", StringComparison.Ordinal));
        var end = Array.FindIndex(dockerfile, start + 1, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        return [.. dockerfile[start..(end < 0 ? dockerfile.Length : end)].Select(l => l.Trim())];
    }

    private static async Task<(int Code, string Output)> RunAsync(string program, IReadOnlyList<string> args, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? []) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^FROM \S+ AS (\S+)$")]
    private static partial Regex Stage();

    [GeneratedRegex(@"\$\(([A-Z_][A-Z0-9_]*)\)")]
    private static partial Regex Variable();
}
