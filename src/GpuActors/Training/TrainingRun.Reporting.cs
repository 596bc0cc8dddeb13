using System.Text.Json;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Optim;

namespace HyperSwarm.GpuActors.Training;

// Progress snapshots, metric lines and the hyperparameter schedule.
public sealed partial class TrainingRun
{
    /// <summary>Every hyperparameter's current value: tuned ones from λ, fixed ones as set.</summary>
    public IReadOnlyDictionary<string, double> CurrentHyperparameters()
    {
        var values = new Dictionary<string, double>(plan.Fixed, StringComparer.Ordinal);
        if (space is not null)
        {
            foreach (var (name, value) in space.Values()) values[name] = value;
        }

        return values;
    }

    private string Phase => stn is null ? "training" : counters.WeightSteps < config.Stn.WarmupSteps ? "warm-up" : "self-tuning";

    private double Epochs(int batchesPerEpoch) => (double)counters.TrainBatches / batchesPerEpoch;

    private void Report(ReportWindow window, TimeSpan now, int batchesPerEpoch)
    {
        var (trainLoss, hyperLoss, imagesPerSecond) = window.Take(now);
        var progress = new TrainingProgress
        {
            Phase = Phase,
            Epoch = Epochs(batchesPerEpoch),
            WeightSteps = counters.WeightSteps,
            HyperSteps = counters.HyperSteps,
            Elapsed = counters.Elapsed,
            Fraction = Fraction(batchesPerEpoch),
            TrainLoss = trainLoss,
            HyperLoss = hyperLoss,
            Validation = lastValidation,
            ImagesPerSecond = imagesPerSecond,
            LearningRate = weights.LearningRate,
            AgdStepSize = weights.Optimizer is Agd agd ? agd.LastStepSize * agd.Cooling : null, // the step taken: η, cooled at the end
            Hyperparameters = CurrentHyperparameters(),
            Tuned = tunedNames,
        };
        metrics.Write(w =>
        {
            w.WriteString("kind", "progress");
            w.WriteString("phase", progress.Phase);
            w.WriteNumber("weight_step", progress.WeightSteps);
            w.WriteNumber("hyper_step", progress.HyperSteps);
            w.WriteNumber("epoch", progress.Epoch);
            w.WriteNumber("seconds", progress.Elapsed.TotalSeconds);
            Number(w, "train_loss", progress.TrainLoss);
            Number(w, "hyper_val_loss", progress.HyperLoss);
            Number(w, "images_per_second", progress.ImagesPerSecond);
            if (progress.LearningRate is { } lr) Number(w, "learning_rate", lr);
            if (progress.AgdStepSize is { } eta) Number(w, "agd_step_size", eta); // infinite when a gradient overflowed
            Values(w, "hyperparameters", progress.Hyperparameters);
        });
        observer.Progress?.Invoke(progress);
    }

    private void RecordSchedule(double hyperLoss, long examples, int batchesPerEpoch)
    {
        if (space is null) return;
        var values = space.Values();
        var sigmas = space.Sigmas();
        schedule.Write(w =>
        {
            w.WriteNumber("hyper_step", counters.HyperSteps);
            w.WriteNumber("weight_step", counters.WeightSteps);
            w.WriteNumber("epoch", Epochs(batchesPerEpoch));
            Number(w, "val_loss", hyperLoss);
            w.WriteNumber("val_examples", examples);
            Values(w, "values", values);
            Values(w, "sigmas", sigmas);
        });
    }

    private void RecordEvaluation(string split, Evaluation evaluation, int batchesPerEpoch)
    {
        metrics.Write(w =>
        {
            w.WriteString("kind", split);
            w.WriteNumber("weight_step", counters.WeightSteps);
            w.WriteNumber("epoch", Epochs(batchesPerEpoch));
            w.WriteNumber("seconds", counters.Elapsed.TotalSeconds);
            Number(w, "loss", evaluation.Loss);
            w.WriteNumber("accuracy", evaluation.Accuracy);
            w.WriteNumber("examples", evaluation.Examples);
        });
        observer.Evaluated?.Invoke(split, evaluation);
    }

    // An image folder's unusable files: all listed in the run directory, the first few noticed.
    private void ReportSkippedFiles()
    {
        const int Shown = 3;
        var skipped = data.Skipped;
        if (skipped.Count == 0) return;
        var listed = directory is null ? "" : $" (all listed in {directory.SkippedFilesPath})";
        if (directory is not null)
        {
            AtomicFile.WriteAllTextAsync(directory.SkippedFilesPath, string.Concat(skipped.Select(f => f + "\n")), CancellationToken.None).GetAwaiter().GetResult();
        }

        var first = string.Join("; ", skipped.Take(Shown));
        var more = skipped.Count > Shown ? $"; and {skipped.Count - Shown} more" : "";
        Notice($"skipped {skipped.Count} file{(skipped.Count == 1 ? "" : "s")} of {config.Data.Path} that cannot be used{listed}: {first}{more}");
    }

    private void Notice(string message)
    {
        metrics.Write(w =>
        {
            w.WriteString("kind", "notice");
            w.WriteNumber("weight_step", counters.WeightSteps);
            w.WriteString("message", message);
        });
        observer.Notice?.Invoke(message);
    }

    // JSON has no NaN or infinity: a loss that does not exist yet, or a step size from an
    // overflowed gradient (the next loss is then NaN and the run recovers), is written as null.
    internal static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    private static void Values(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, double> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values) Number(w, key, value);
        w.WriteEndObject();
    }
}
