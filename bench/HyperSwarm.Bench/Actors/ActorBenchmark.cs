using System.Diagnostics;
using System.Globalization;
using HyperSwarm.Protocol.Actors;

namespace HyperSwarm.Bench.Actors;

/// <summary>
/// <c>hyperswarm bench actors</c>: messages per second through one actor and spread over
/// 1,000 actors, and the p50/p99 latency of an ask (issue 4; target ≥ 5 million/s for one actor).
/// </summary>
public sealed class ActorBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "actors";

    /// <inheritdoc />
    public string Description => "actor kernel: msgs/s through 1 and 1,000 actors, ask p50/p99";

    /// <inheritdoc />
    public async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        int messages = options.Quick ? 2_000_000 : 20_000_000;
        int asks = options.Quick ? 10_000 : 100_000;

        await log.WriteLineAsync("actors: one actor");
        await ThroughputAsync(1, messages / 10);
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
            new("tell throughput, 1 actor", "hyperswarm", one, "msgs/s"),
            new("tell throughput, 1,000 actors", "hyperswarm", thousand, "msgs/s"),
            new("ask latency p50", "hyperswarm", p50, "µs"),
            new("ask latency p99", "hyperswarm", p99, "µs"),
        ];
        var context = new Dictionary<string, string>
        {
            ["messages"] = messages.ToString(CultureInfo.InvariantCulture),
            ["asks"] = asks.ToString(CultureInfo.InvariantCulture),
            ["producers"] = "1 thread per 1,000 actors, TellAsync, mailbox 1024",
            ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        };
        return new BenchReport(Name, rows, figures, context);
    }

    private static async Task<double> ThroughputAsync(int actorCount, int messages)
    {
        await using var system = new ActorSystem();
        int perActor = messages / actorCount;
        var done = new CountdownEvent(actorCount);
        var actors = Enumerable.Range(0, actorCount)
            .Select(_ => system.Spawn(() => new CountingActor(perActor, done)))
            .ToArray();

        var stopwatch = Stopwatch.StartNew();
        await Task.Run(async () =>
        {
            for (int i = 0; i < perActor; i++)
            {
                foreach (ActorRef<long> actor in actors)
                {
                    if (!actor.TryTell(i))
                    {
                        await actor.TellAsync(i);
                    }
                }
            }
        });
        await Task.Run(() => done.Wait());
        return (long)perActor * actorCount / stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task<(double P50, double P99)> AskLatencyAsync(int asks)
    {
        await using var system = new ActorSystem();
        var echo = system.Spawn(() => new EchoActor());
        var latencies = new double[asks];
        for (int i = -1000; i < asks; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await echo.AskAsync<int>(reply => reply, TimeSpan.FromSeconds(5));
            if (i >= 0)
            {
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        Array.Sort(latencies);
        return (latencies[asks / 2], latencies[(int)(asks * 0.99)]);
    }

    /// <summary>Counts messages and signals when it has seen all it expects.</summary>
    private sealed class CountingActor(int expected, CountdownEvent done) : Actor<long>
    {
        private int _seen;

        protected override ValueTask ReceiveAsync(long message)
        {
            if (++_seen == expected)
            {
                done.Signal();
            }

            return default;
        }
    }

    /// <summary>Answers every ask at once.</summary>
    private sealed class EchoActor : Actor<Reply<int>>
    {
        protected override ValueTask ReceiveAsync(Reply<int> message)
        {
            message.Send(1);
            return default;
        }
    }
}
