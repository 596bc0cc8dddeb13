using HyperSwarm.Protocol.Hyperparameters;
using System.Collections.Immutable;
using System.Globalization;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>
/// Runs a population transcript (testdata/population/*.txt) in the style of etcd raft's
/// data-driven tests. A header (before the first <c>&gt;</c>) configures the machine:
/// <code>
/// options size=4 ready=100 total=1000 quantile=0.25 resample=0 gap=0.1 behind=3 maxage=600 restarts=3
/// space dropout bounded 0 0.8 0.5        (name kind lower upper initial)
/// seed 7
/// </code>
/// Then each <c>&gt; event</c> line is applied and followed by the commands and log entries it
/// produced, one per line; each <c>? query</c> line by the state it asks for. <see cref="Run"/>
/// returns the file with every expected block replaced by what actually came out, so a
/// transcript passes when that equals the file. Events (all take <c>t=SECONDS</c>):
/// <code>
/// &gt; run
/// &gt; join w1 cuda:0 cuda:1
/// &gt; lost w1 [reason…]
/// &gt; report w1 m00 epoch=1 step=100 val=0.5 [train=…] [acc=…] [hp=dropout:0.4,cutout:8]
/// &gt; checkpoint w1 m00 step=100
/// &gt; diverged w1 m00 epoch=1 step=120
/// &gt; failed w1 m00 epoch=1 [reason…]
/// &gt; finished w1 m00 epoch=1 step=1000
/// &gt; tick
/// &gt; draws 0.9 0.1          (the next random draws; no output)
/// ? members | ? workers | ? lineage | ? ancestry m03 | ? run
/// </code>
/// Every state reached is also checked against <see cref="PopulationInvariants"/> and every
/// command stream against <see cref="AssignmentWorld"/>.
/// </summary>
internal sealed class Transcript
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private PopulationOptions _options = new();
    private ulong _seed = 1;
    private PopulationMachine? _machine;
    private ScriptedRandom? _random;
    private readonly AssignmentWorld _world = new();
    private DateTimeOffset _now = Origin;

    public static string Run(string text)
    {
        var transcript = new Transcript();
        var output = new List<string>();
        var inBody = false;
        foreach (var raw in text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            var line = raw.TrimEnd();
            var isDirective = line.StartsWith('>') || line.StartsWith('?');
            var isExpected = inBody && !isDirective && line.Length > 0 && !line.StartsWith('#');
            if (isExpected) continue; // replaced by what the directive actually produced
            output.Add(line);
            if (isDirective)
            {
                inBody = true;
                output.AddRange(transcript.Execute(line));
            }
            else if (!inBody && line.Length > 0 && !line.StartsWith('#'))
            {
                transcript.Configure(line);
            }
        }
        return string.Join('\n', output) + "\n";
    }

    private void Configure(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words[0])
        {
            case "options":
                foreach (var (key, value) in Pairs(words.Skip(1))) _options = WithOption(_options, key, value);
                break;
            case "space":
                var range = new HyperparameterRange(words[1], Kind(words[2]), Number(words[3]), Number(words[4]), Number(words[5]));
                _options = _options with { Space = _options.Space.Add(range) };
                break;
            case "seed":
                _seed = ulong.Parse(words[1], CultureInfo.InvariantCulture);
                break;
            default:
                throw new FormatException($"unknown header line: {line}");
        }
    }

    private IEnumerable<string> Execute(string line)
    {
        var words = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (_machine is null)
        {
            _random = new ScriptedRandom(_seed);
            _machine = new PopulationMachine(_options, _random);
        }
        if (line.StartsWith('?')) return Query(words);
        var pairs = Pairs(words).ToDictionary(p => p.Key, p => p.Value);
        if (pairs.TryGetValue("t", out var t)) _now = Origin.AddSeconds(Number(t));
        if (words[0] == "draws")
        {
            _random!.Enqueue(words.Skip(1).Select(Number));
            return [];
        }
        var output = _world.Apply(_machine, Parse(words, pairs));
        PopulationInvariants.Check(_machine.State);
        return output.Commands.Select(TranscriptFormat.Command).Concat(output.Log.Select(TranscriptFormat.Log));
    }

    private PopulationInput Parse(string[] words, Dictionary<string, string> pairs)
    {
        long Long(string key) => long.Parse(pairs[key], CultureInfo.InvariantCulture);
        // Free text after the ids (a reason), without the key=value pairs.
        string Text(int skip, string otherwise) =>
            words.Skip(skip).Where(w => !w.Contains('=')).ToArray() is { Length: > 0 } text ? string.Join(' ', text) : otherwise;
        return words[0] switch
        {
            "run" => new RunStarted(_now),
            "join" => new WorkerJoined(_now, words[1], pairs.GetValueOrDefault("addr", words[1] + ":7071"),
                [.. words.Skip(2).Where(w => !w.Contains('='))]),
            "lost" => new WorkerLost(_now, words[1], Text(2, "heartbeat timeout")),
            "report" => new MemberReported(_now, words[1], words[2], Long("epoch"), Long("step"),
                Number(pairs.GetValueOrDefault("train", pairs["val"])), Number(pairs["val"]), Number(pairs.GetValueOrDefault("acc", "0")),
                pairs.TryGetValue("hp", out var hp) ? Hyperparameters(hp, Long("step")) : null),
            "checkpoint" => new CheckpointWritten(_now, words[1], new CheckpointReference(words[2], Long("step"), words[1] + ":7071",
                $"runs/{words[2]}/step-{Long("step"):D9}.safetensors", 0, "")),
            "diverged" => new MemberDiverged(_now, words[1], words[2], Long("epoch"), Long("step"), "loss is NaN"),
            "failed" => new MemberFailed(_now, words[1], words[2], Long("epoch"), Text(3, "actor crashed")),
            "finished" => new MemberFinished(_now, words[1], words[2], Long("epoch"), Long("step")),
            "tick" => new TimerTicked(_now),
            _ => throw new FormatException($"unknown event: {string.Join(' ', words)}"),
        };
    }

    private IEnumerable<string> Query(string[] words)
    {
        var state = _machine!.State;
        return words[0] switch
        {
            "members" => state.Members.Values.Select(TranscriptFormat.Member),
            "workers" => state.Workers.Keys.Select(w => TranscriptFormat.Worker(state, w)),
            "lineage" => state.Lineage.Select(TranscriptFormat.Lineage),
            "ancestry" => state.WeightAncestry(words[1]).Select(TranscriptFormat.Lineage),
            "run" => [$"started={Lower(state.Started)} completed={Lower(state.Completed)} rounds={state.Rounds} best={state.Best()?.Id ?? "-"} sequence={state.Sequence}"],
            _ => throw new FormatException($"unknown query: {string.Join(' ', words)}"),
        };
    }

    // hp=dropout:0.4,cutout:8 — values of the configured space, as a worker would report them.
    private HyperparameterSet Hyperparameters(string text, long step)
    {
        var values = text.Split(',').Select(item =>
        {
            var parts = item.Split(':');
            var range = _options.Space.Single(r => r.Name == parts[0]);
            return range.ToValue().WithValue(Number(parts[1]));
        });
        return new HyperparameterSet([.. values], [], step);
    }

    private static PopulationOptions WithOption(PopulationOptions o, string key, string value) => key switch
    {
        "size" => o with { Size = (int)Number(value) },
        "ready" => o with { ReadySteps = (long)Number(value) },
        "total" => o with { TotalSteps = (long)Number(value) },
        "quantile" => o with { Quantile = Number(value) },
        "resample" => o with { ResampleProbability = Number(value) },
        "gap" => o with { ExploitRelativeGap = Number(value) },
        "behind" => o with { ExploitAfterBehindRounds = (int)Number(value) },
        "maxage" => o with { ReportMaxAge = TimeSpan.FromSeconds(Number(value)) },
        "restarts" => o with { MaxRestarts = (int)Number(value) },
        _ => throw new FormatException($"unknown option {key}"),
    };

    private static HyperparameterKind Kind(string text) => text switch
    {
        "bounded" => HyperparameterKind.Bounded,
        "lower" => HyperparameterKind.LowerBounded,
        "upper" => HyperparameterKind.UpperBounded,
        "discrete" => HyperparameterKind.Discrete,
        _ => throw new FormatException($"unknown hyperparameter kind {text}"),
    };

    private static IEnumerable<(string Key, string Value)> Pairs(IEnumerable<string> words) =>
        words.Where(w => w.Contains('=')).Select(w => (w[..w.IndexOf('=')], w[(w.IndexOf('=') + 1)..]));

    private static double Number(string text) => text.ToLowerInvariant() switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(text, CultureInfo.InvariantCulture),
    };

    private static string Lower(bool value) => value ? "true" : "false";
}
