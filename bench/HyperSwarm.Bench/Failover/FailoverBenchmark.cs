using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Bench.Failover;

/// <summary>
/// <c>hyperswarm bench failover</c>: a coordinator and two workers as separate processes on
/// loopback train a population of two small members with shared checkpoints; the worker that
/// holds members is killed with SIGKILL, and the time is taken from the kill to every one of
/// its members training again on the other worker (that worker printing "Member … trains
/// from weight step …"), and to the coordinator declaring the worker lost. The killed worker is
/// started again and the next kill hits the worker that now holds the members. Figures: the
/// median over the kills (target ≤ 10 s).
/// </summary>
public sealed partial class FailoverBenchmark : IBenchmark
{
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(120);

    /// <inheritdoc />
    public string Name => "failover";

    /// <inheritdoc />
    public string Description => "Seconds from a worker's SIGKILL to all its members training on the other worker (3 processes on loopback), median of kills";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        int kills = options.Quick ? 1 : 3;
        var root = Directory.CreateTempSubdirectory("hs-failover-").FullName;
        var processes = new List<NodeProcess>();
        try
        {
            var config = Path.Combine(root, "run.yaml");
            await File.WriteAllTextAsync(config, Config(options.DataPath ?? DataConfig.DefaultPath), cancellationToken).ConfigureAwait(false);
            var address = $"127.0.0.1:{FreePort()}";
            var coordinator = Track(processes, new NodeProcess("coordinator",
            [
                "coordinator", "--listen", address, "--metrics-listen", "off", "--store", "sqlite:" + Path.Combine(root, "population.db"),
                "--config", config, "--population", "2", "--total-steps", "1000000", "--ready-steps", "1000000", "--select-every", "60s",
            ]));
            await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), 0, SignalLimit, "its address").ConfigureAwait(false);
            var workers = new Dictionary<string, NodeProcess>(StringComparer.Ordinal);
            NodeProcess StartWorker(string id) => workers[id] = Track(processes, new NodeProcess(id,
            [
                "worker", "--join", address, "--id", id, "--capacity", "2", "--threads", "1",
                "--checkpoints", Path.Combine(root, "checkpoints"), "--shared-checkpoints", "--data", options.DataPath ?? DataConfig.DefaultPath,
            ]));
            StartWorker("w1");
            await coordinator.WaitForLineAsync(l => l.Contains("member_started", StringComparison.Ordinal), 0, SignalLimit, "a member started").ConfigureAwait(false);
            StartWorker("w2");
            var joined = await coordinator.WaitForLineAsync(l => l.Contains("worker_joined", StringComparison.Ordinal) && l.Contains(" w2", StringComparison.Ordinal), 0, SignalLimit, "w2 joined").ConfigureAwait(false);
            await SettledAsync(coordinator, joined).ConfigureAwait(false);

            var failover = new List<double>();
            var detection = new List<double>();
            for (int kill = 0; kill < kills; kill++)
            {
                // The victim is whoever holds the members; both must have a checkpoint to resume from.
                var holders = Holders(coordinator);
                var victim = holders.GroupBy(h => h.Value).OrderByDescending(g => g.Count()).First().Key;
                var members = holders.Where(h => h.Value == victim).Select(h => h.Key).ToList();
                var survivor = victim == "w1" ? "w2" : "w1";
                foreach (var member in members)
                {
                    await workers[victim].WaitForLineAsync(l => Checkpointed(l, member), 0, SignalLimit, $"{member} past a checkpoint").ConfigureAwait(false);
                }

                await log.WriteLineAsync($"failover: kill {kill + 1}/{kills}: SIGKILL {victim} holding {string.Join(", ", members)}").ConfigureAwait(false);
                var killedAt = Stopwatch.GetTimestamp();
                workers[victim].Kill();
                var lost = await coordinator.WaitForLineAsync(l => l.Contains("worker_lost", StringComparison.Ordinal) && l.Contains(" " + victim, StringComparison.Ordinal), killedAt, SignalLimit, $"{victim} lost").ConfigureAwait(false);
                long last = killedAt;
                foreach (var member in members)
                {
                    var resumed = await workers[survivor].WaitForLineAsync(l => l.Contains($"Member {member} trains from weight step", StringComparison.Ordinal), killedAt, SignalLimit, $"{member} training on {survivor}").ConfigureAwait(false);
                    last = Math.Max(last, resumed);
                }

                failover.Add(Seconds(killedAt, last));
                detection.Add(Seconds(killedAt, lost));
                await log.WriteLineAsync($"failover:   lost after {detection[^1]:F1} s, members training on {survivor} after {failover[^1]:F1} s").ConfigureAwait(false);
                workers[victim].Dispose();
                processes.Remove(workers[victim]);
                StartWorker(victim);
                var rejoined = await coordinator.WaitForLineAsync(l => l.Contains(" " + victim, StringComparison.Ordinal) && (l.Contains("worker_joined", StringComparison.Ordinal) || l.Contains("worker_rejoined", StringComparison.Ordinal)), last, SignalLimit, $"{victim} back").ConfigureAwait(false);
                await SettledAsync(coordinator, rejoined).ConfigureAwait(false);
            }

            failover.Sort();
            detection.Sort();
            var figures = new Dictionary<string, double>
            {
                ["failover_median_s"] = Median(failover),
                ["failover_max_s"] = failover[^1],
                ["detection_median_s"] = Median(detection),
                ["kills"] = kills,
            };
            BenchRow[] rows =
            [
                new("SIGKILL to members training elsewhere (median)", "hyperswarm", Median(failover), "s"),
                new("SIGKILL to worker declared lost (median)", "hyperswarm", Median(detection), "s"),
            ];
            var context = new Dictionary<string, string>
            {
                ["failover_s"] = string.Join(" ", failover.Select(f => f.ToString("F2", CultureInfo.InvariantCulture))),
                ["membership"] = "Akka.Cluster: failure detector 1 s heartbeats, 3 s acceptable pause, threshold 8; split-brain resolver static-quorum on the coordinator role, stable after 3 s",
                ["cluster"] = "coordinator + 2 workers, separate processes on 127.0.0.1, shared checkpoints, small CNN",
                ["target"] = "failover_median_s <= 10",
            };
            return new BenchReport(Name, rows, figures, context);
        }
        finally
        {
            foreach (var p in processes) p.Dispose();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A killed process may hold a file a moment longer; the temp folder is the OS's to clean.
            }
        }
    }

    // A worker that joins makes the coordinator move a member to it at that member's next
    // checkpoint (rebalance): the kill waits for that move, so it hits a settled layout.
    private static async Task SettledAsync(NodeProcess coordinator, long joined)
    {
        try
        {
            await coordinator.WaitForLineAsync(l => l.Contains("member_moved", StringComparison.Ordinal), joined, TimeSpan.FromSeconds(60), "a rebalance").ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing to rebalance: the layout was settled already.
        }
    }

    // Which worker each member was last started on or moved to, from the coordinator's event lines.
    private static Dictionary<string, string> Holders(NodeProcess coordinator)
    {
        var holders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in coordinator.LinesSince(0))
        {
            var started = MemberStarted().Match(line);
            if (started.Success) holders[started.Groups["member"].Value] = started.Groups["worker"].Value;
        }

        return holders;
    }

    // A report at a step past the first checkpoint (every 20 steps, see Config).
    private static bool Checkpointed(string line, string member)
    {
        var report = ReportStep().Match(line);
        return report.Success && report.Groups["member"].Value == member && int.Parse(report.Groups["step"].Value, CultureInfo.InvariantCulture) >= 25;
    }

    private static string Config(string data) => $"""
        seed: 1
        budget: none
        max_steps: 1000000
        data:
          path: {data}
          batch_size: 32
          eval_batch_size: 500
        model:
          kind: small-cnn
        optimizer:
          kind: adam
        reporting:
          log_every_steps: 5
          eval_every_steps: 1000
          checkpoint_every_steps: 20
        """;

    private static NodeProcess Track(List<NodeProcess> processes, NodeProcess process)
    {
        processes.Add(process);
        return process;
    }

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    private static double Median(List<double> sorted) => sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"#\d+ (member_started|member_moved) (?<member>m\d+) (?<worker>\S+?):")]
    private static partial Regex MemberStarted();

    [GeneratedRegex(@"(?<member>m\d+) step (?<step>\d+) ")]
    private static partial Regex ReportStep();
}
