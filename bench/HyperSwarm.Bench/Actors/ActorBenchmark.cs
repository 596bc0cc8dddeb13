using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;

namespace HyperSwarm.Bench.Actors;

/// <summary>
/// <c>hyperswarm bench actors</c>: messages per second through one Akka.NET actor and spread over
/// 1,000 actors, and the p50/p99 latency of an ask, in a local actor system configured like the
/// worker's (Akka's default dispatcher; member actors have pinned threads of their own).
/// </summary>
public sealed class ActorBenchmark : IBenchmark
{
    private static readonly Config Quiet = ConfigurationFactory.ParseString("akka { loglevel = WARNING, stdout-loglevel = WARNING, actor.provider = local }");

    /// <inheritdoc />
    public string Name => "actors";

    /// <inheritdoc />
    public string Description => "Akka.NET actors: msgs/s through 1 and 1,000 actors, ask p50/p99";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        int messages = options.Quick ? 2_000_000 : 20_000_000;
        int asks = options.Quick ? 10_000 : 100_000;

        await log.WriteLineAsync("actors: one actor");
        await ThroughputAsync(1, messages / 10); // untimed: JIT and the dispatcher's threads
        double one = await ThroughputAsync(1, messages);
        await log.WriteLineAsync("actors: 1,000 actors");
        double thousand = await ThroughputAsync(1000, messages);
        await log.WriteLineAsync("actors: ask latency");
        (double p50, double p99) = await AskLatencyAsync(asks);

        var figures = new Dictionary<string, double>
        {
            ["actor_msgs_per_s_1"] = one,
            ["actor_msgs_per_s_1000"] = thousand,
            ["ask_p50_us"] = p50,
            ["ask_p99_us"] = p99,
        };
        BenchRow[] rows =
        [
            new("tell throughput, 1 actor", "akka.net", one, "msgs/s"),
            new("tell throughput, 1,000 actors", "akka.net", thousand, "msgs/s"),
            new("ask latency p50", "akka.net", p50, "µs"),
            new("ask latency p99", "akka.net", p99, "µs"),
        ];
        var context = new Dictionary<string, string>
        {
            ["messages"] = messages.ToString(CultureInfo.InvariantCulture),
            ["asks"] = asks.ToString(CultureInfo.InvariantCulture),
            ["producers"] = "1 thread, Tell round-robin over the actors, unbounded mailboxes",
            ["akka"] = typeof(ActorSystem).Assembly.GetName().Version?.ToString() ?? "?",
            ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        };
        return new BenchReport(Name, rows, figures, context);
    }

    private static async Task<double> ThroughputAsync(int actorCount, int messages)
    {
        using var system = ActorSystem.Create("bench-actors", Quiet);
        int perActor = messages / actorCount;
        using var done = new CountdownEvent(actorCount);
        var actors = Enumerable.Range(0, actorCount)
            .Select(_ => system.ActorOf(Props.Create(() => new CountingActor(perActor, done))))
            .ToArray();

        var stopwatch = Stopwatch.StartNew();
        await Task.Run(() =>
        {
            for (int i = 0; i < perActor; i++)
            {
                foreach (var actor in actors) actor.Tell(i);
            }
        });
        await Task.Run(() => done.Wait());
        var rate = (long)perActor * actorCount / stopwatch.Elapsed.TotalSeconds;
        await system.Terminate();
        return rate;
    }

    private static async Task<(double P50, double P99)> AskLatencyAsync(int asks)
    {
        using var system = ActorSystem.Create("bench-actors", Quiet);
        var echo = system.ActorOf(Props.Create(() => new EchoActor()));
        var latencies = new double[asks];
        var timeout = TimeSpan.FromSeconds(5);
        for (int i = -1000; i < asks; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await echo.Ask<int>(1, timeout);
            if (i >= 0) latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        await system.Terminate();
        Array.Sort(latencies);
        return (latencies[asks / 2], latencies[(int)(asks * 0.99)]);
    }

    /// <summary>Counts messages and signals when it has seen all it expects.</summary>
    private sealed class CountingActor : ReceiveActor
    {
        private int _seen;

        public CountingActor(int expected, CountdownEvent done) => Receive<int>(_ =>
        {
            if (++_seen == expected) done.Signal();
        });
    }

    /// <summary>Answers every ask at once.</summary>
    private sealed class EchoActor : ReceiveActor
    {
        public EchoActor() => Receive<int>(m => Sender.Tell(m));
    }
}
