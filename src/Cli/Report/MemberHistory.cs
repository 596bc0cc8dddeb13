using System.Text.Json;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// What one training run (a <c>train</c> run, or one member of a population) recorded as it
/// went, read back from its run directory: the progress lines and validation scores of
/// <c>metrics.jsonl</c> and every hyper step of <c>hyperparameters.jsonl</c>. A line cut short
/// (the process stopped while writing it) is left out.
/// </summary>
internal sealed record MemberHistory(string Id, IReadOnlyList<MemberHistory.Progress> Progresses, IReadOnlyList<MemberHistory.Validation> Validations, IReadOnlyList<MemberHistory.HyperStep> Schedule)
{
    /// <summary>A progress report: the mean training loss since the last one.</summary>
    public sealed record Progress(long Step, double? TrainLoss);

    /// <summary>A validation evaluation.</summary>
    public sealed record Validation(long Step, double? Loss, double Accuracy);

    /// <summary>A hyper step: every tuned hyperparameter's value after it.</summary>
    public sealed record HyperStep(long Step, IReadOnlyDictionary<string, double> Values);

    /// <summary>Reads <paramref name="directory"/>'s files; missing ones give empty lists.</summary>
    public static MemberHistory Read(string id, RunDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var progresses = new List<Progress>();
        var validations = new List<Validation>();
        foreach (var line in Lines(directory.MetricsPath))
        {
            var step = line.GetProperty("weight_step").GetInt64();
            switch (line.GetProperty("kind").GetString())
            {
                case "progress":
                    progresses.Add(new Progress(step, Number(line, "train_loss")));
                    break;
                case "validation":
                    validations.Add(new Validation(step, Number(line, "loss"), line.GetProperty("accuracy").GetDouble()));
                    break;
            }
        }

        var schedule = Lines(directory.SchedulePath)
            .Select(line => new HyperStep(line.GetProperty("weight_step").GetInt64(), Values(line.GetProperty("values"))))
            .ToList();
        return new MemberHistory(id, progresses, validations, schedule);
    }

    private static IEnumerable<JsonElement> Lines(string path)
    {
        if (!File.Exists(path)) yield break;
        // Shared: a member may still be appending when Ctrl+C's report reads it.
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } text)
        {
            JsonElement line;
            try
            {
                using var json = JsonDocument.Parse(text);
                line = json.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue; // the last line, cut short
            }

            yield return line;
        }
    }

    // JSON has no NaN: a loss that was not finite is written as null.
    private static double? Number(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static Dictionary<string, double> Values(JsonElement values) =>
        values.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble(), StringComparer.Ordinal);
}
