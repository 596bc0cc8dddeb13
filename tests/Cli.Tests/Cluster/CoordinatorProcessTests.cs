using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HyperSwarm.Cli.Tests.Support;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Xunit.Abstractions;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// A real <c>hyperswarm coordinator</c> process as its users meet it: Debian's Prometheus scraping
/// its <c>/metrics</c>, and a client that floods it with calls whose deadlines are a few
/// milliseconds (the load that once killed the process from the hand-written server's deadline path).
/// </summary>
[Collection("cluster processes")] // one cluster at a time: they share the cores
public sealed class CoordinatorProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Prometheus_scraping_a_live_coordinator_reads_each_members_validation_accuracy()
    {
        using var cluster = new ClusterRun(population: 2, totalSteps: 5_000);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains($"metrics: http://127.0.0.1:{cluster.MetricsPort}/metrics", StringComparison.Ordinal), SignalLimit, "its metrics address");
        cluster.StartWorker("w1", slots: 2);
        using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{cluster.MetricsPort}", Path.Combine(cluster.Root, "prometheus"), SignalLimit);

        // Both members report a validation accuracy (every 10 steps): wait until Prometheus holds both.
        var accuracy = await prometheus.WaitForSamplesAsync("hyperswarm_member_validation_accuracy", minimum: 2, SignalLimit);
        // A scrape that times out on a loaded machine reads up = 0 for a moment: the question is
        // whether Prometheus has scraped the coordinator successfully, which it has once data came.
        var up = await prometheus.WaitForSamplesAsync("max_over_time(up{job=\"hyperswarm-coordinator\"}[5m])", minimum: 1, SignalLimit);

        Assert.Equal(["m00", "m01"], accuracy.Select(s => s.Labels["member"]).Order(StringComparer.Ordinal));
        Assert.All(accuracy, s => Assert.InRange(s.Value, 0.0, 1.0));
        Assert.All(accuracy, s => Assert.Equal("hyperswarm-coordinator", s.Labels["job"]));
        Assert.Equal(1.0, Assert.Single(up).Value);
    }

    [Fact]
    public async Task Thousands_of_calls_with_millisecond_deadlines_and_cancelled_streams_leave_the_coordinator_serving()
    {
        const int Calls = 4_000;
        using var cluster = new ClusterRun(population: 2, totalSteps: 100);
        var coordinator = cluster.StartCoordinator();
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");
        using var channel = ClusterChannel.Open(new Uri($"http://{cluster.Address}"));
        var client = new Protocol.V1.Coordinator.CoordinatorClient(channel);
        await client.GetPopulationAsync(new GetPopulationRequest()); // connected, JIT warm
        var rssBefore = ResidentBytes(coordinator.Id);

        var outcomes = new int[17];
        var strays = new List<Exception>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Calls), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var deadline = DateTime.UtcNow.AddMilliseconds(1 + i % 5);
            try
            {
                switch (i % 4)
                {
                    case 0:
                        await client.GetPopulationAsync(new GetPopulationRequest(), deadline: deadline);
                        break;
                    case 1:
                        // A join the coordinator refuses (no worker id), if it gets there in time.
                        await client.JoinAsync(new JoinRequest { Capacity = 1 }, deadline: deadline);
                        break;
                    case 2:
                        using (var watch = client.WatchEvents(new WatchEventsRequest(), deadline: deadline))
                        {
                            while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                            {
                            }
                        }
                        break;
                    default:
                        // Cancelled mid-stream, after the replay's first event, with no deadline.
                        using (var cancel = new CancellationTokenSource())
                        using (var watch = client.WatchEvents(new WatchEventsRequest(), cancellationToken: cancel.Token))
                        {
                            await watch.ResponseStream.MoveNext(CancellationToken.None);
                            await cancel.CancelAsync();
                            while (await watch.ResponseStream.MoveNext(CancellationToken.None))
                            {
                            }
                        }
                        break;
                }

                Interlocked.Increment(ref outcomes[(int)StatusCode.OK]);
            }
            catch (RpcException e)
            {
                Interlocked.Increment(ref outcomes[(int)e.StatusCode]);
            }
            catch (Exception e)
            {
                lock (strays) strays.Add(e);
            }
        });

        var after = await client.GetPopulationAsync(new GetPopulationRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        var growth = ResidentBytes(coordinator.Id) - rssBefore;
        var summary = string.Join(", ", outcomes.Select((n, code) => (n, code)).Where(p => p.n > 0).Select(p => $"{(StatusCode)p.code} {p.n}"));

        output.WriteLine($"{Calls} calls: {summary}; resident memory grew {growth >> 20} MiB");
        Assert.Empty(strays); // every call ended with a status
        Assert.Equal(Calls, outcomes.Sum());
        Assert.True(outcomes[(int)StatusCode.DeadlineExceeded] > Calls / 4, summary);
        Assert.True(outcomes[(int)StatusCode.Cancelled] > 0, summary);
        Assert.False(coordinator.HasExited, coordinator.Output);
        Assert.Equal(2, after.Members.Count);
        Assert.True(growth < 256L << 20, $"the coordinator's resident memory grew by {growth >> 20} MiB ({summary})");
    }

    [Fact]
    public async Task A_taken_default_metrics_port_is_a_warning_and_a_taken_chosen_one_an_error()
    {
        using var cluster = new ClusterRun(population: 1, totalSteps: 10);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        // 9464 held here too when nothing else holds it, so the default is taken either way.
        using var defaultPort = TryListen(9464);

        var (code, _, stderr) = await CliProcess.RunAsync("coordinator", "--listen", cluster.Address, "--metrics-listen", $"127.0.0.1:{port}",
            "--store", "sqlite:" + cluster.Database, "--config", cluster.ConfigPath);
        using var coordinator = new ChildProcess("coordinator", "coordinator", "--listen", cluster.Address, "--store", "sqlite:" + cluster.Database, "--config", cluster.ConfigPath);
        var warning = await coordinator.WaitForLineAsync(l => l.Contains("metrics:", StringComparison.Ordinal), SignalLimit, "the metrics line");
        await coordinator.WaitForLineAsync(l => l.Contains("workers join with", StringComparison.Ordinal), SignalLimit, "its address");

        Assert.Equal(1, code);
        Assert.Contains($"127.0.0.1:{port}", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:9464 is in use, so this coordinator serves no /metrics", warning, StringComparison.Ordinal);
        Assert.False(coordinator.HasExited);
    }

    private static TcpListener? TryListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    // VmRSS from /proc: the child's memory, not this test process's.
    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
