using System.Text.Json;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

// A run directory is what users, dashboards and `hyperswarm eval` read after a run: every file
// must be there and parse, and the schedule must cover every tuned hyperparameter.
public sealed class TrainingRunDirectoryTests : IDisposable
{
    private readonly SyntheticImages data = new();
    private readonly TempDirectory runs = new();

    [Fact]
    public void A_short_self_tuning_run_learns_and_writes_a_complete_run_directory()
    {
        // The default AGD with all ten hyperparameters tuned: this also guards AGD's hyper-gate
        // rule (a per-entry step once blew the loss up to ~80 by step 10 here).
        var config = TinyRuns.Config(data.Directory, optimizer: "agd", maxSteps: 60);
        var directory = new RunDirectory(runs.File("run"));
        TrainingResult result;
        using (var run = new TrainingRun(config, directory))
        {
            result = run.Run();
        }

        Assert.Equal(60, result.WeightSteps);
        Assert.Equal("max_steps", result.StoppedBy);
        Assert.Equal(27, result.HyperSteps); // warm-up 4, then one hyper step after every 2 weight steps: after 6, 8, …, 58
        Assert.True(result.Test.Accuracy > TinyRuns.WellAboveChance, $"test accuracy {result.Test.Accuracy}");
        Assert.Equal(300, result.Test.Examples);

        var metrics = Lines(directory.MetricsPath);
        var kinds = metrics.Select(m => m.GetProperty("kind").GetString()).ToList();
        Assert.Contains("progress", kinds);
        Assert.Contains("validation", kinds);
        Assert.Equal("test", kinds[^1]);
        Assert.Equal(result.Test.Accuracy, metrics[^1].GetProperty("accuracy").GetDouble());

        var schedule = Lines(directory.SchedulePath);
        Assert.Equal(result.HyperSteps, schedule.Count);
        var tuned = HyperparameterPlan.Catalog("small-cnn").Select(s => s.Name).ToList();
        foreach (var line in schedule)
        {
            Assert.Equal(tuned.Order(StringComparer.Ordinal), Names(line.GetProperty("values")));
            Assert.Equal(tuned.Order(StringComparer.Ordinal), Names(line.GetProperty("sigmas")));
            Assert.Equal(config.Data.BatchSize, line.GetProperty("val_examples").GetInt32()); // stn.val_batch_size null: the training batch
        }

        Assert.NotEmpty(Directory.GetFiles(directory.CheckpointsPath, "step-*.safetensors"));
        Assert.True(File.Exists(Path.Combine(directory.ModelPath, ExportedModel.CardFileName)));
        Assert.True(File.Exists(Path.Combine(directory.ModelPath, ExportedModel.WeightsFileName)));
        Assert.Equal(Path.Combine(directory.ModelPath, ExportedModel.CardFileName), result.ModelCardPath);
        using var resultJson = JsonDocument.Parse(File.ReadAllText(directory.ResultPath));
        Assert.Equal(result.Test.Accuracy, resultJson.RootElement.GetProperty("test_accuracy").GetDouble());
        Assert.Equal(60, resultJson.RootElement.GetProperty("weight_steps").GetInt64());

        // The tested model is the latest validated one within a standard error of the top so far.
        var (top, keptStep) = (double.NegativeInfinity, -1L);
        foreach (var v in metrics.Where(m => m.GetProperty("kind").GetString() == "validation"))
        {
            var accuracy = v.GetProperty("accuracy").GetDouble();
            top = Math.Max(top, accuracy);
            if (accuracy >= top - RunCounters.StandardError(top, v.GetProperty("examples").GetInt32())) keptStep = v.GetProperty("weight_step").GetInt64();
        }
        Assert.Equal(keptStep, resultJson.RootElement.GetProperty("best_weight_step").GetInt64());
        Assert.Equal(top, resultJson.RootElement.GetProperty("top_validation_accuracy").GetDouble());
    }

    [Fact]
    public void Hyper_steps_take_the_validation_batch_size_they_are_given()
    {
        var tiny = TinyRuns.Config(data.Directory, maxSteps: 12);
        var config = tiny with { Stn = tiny.Stn with { ValBatchSize = 7 } };
        var directory = new RunDirectory(runs.File("run"));
        using (var run = new TrainingRun(config, directory))
        {
            Assert.Equal(3, run.Run().HyperSteps); // after weight steps 6, 8 and 10
        }

        var schedule = Lines(directory.SchedulePath);
        Assert.Equal(3, schedule.Count);
        Assert.All(schedule, line => Assert.Equal(7, line.GetProperty("val_examples").GetInt32()));
    }

    public void Dispose()
    {
        runs.Dispose();
        data.Dispose();
    }

    // Every line must be one JSON object on its own.
    private static List<JsonElement> Lines(string path) => File.ReadAllLines(path).Select(Parse).ToList();

    private static JsonElement Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    private static IEnumerable<string> Names(JsonElement values) =>
        values.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
}
