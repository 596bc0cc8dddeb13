using System.Text.Json;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

// Validation, the kept model, checkpoints, resume and the end of the run.
public sealed partial class TrainingRun
{
    private static readonly JsonSerializerOptions ConfigJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private const string WeightOptimizerSection = CheckpointSections.Optimizer + "weights.";
    private const string HyperOptimizerSection = CheckpointSections.Optimizer + "hyper.";
    private const int MaxRecoveries = 3;

    // A batch's mean cross-entropy this many times a uniform guess's (ln classes) means the
    // weights have blown up even while the loss is finite: the average example then gets a
    // probability below 1e-10 for its class (measured: an AGD run whose loss jumped from 0.35
    // to 7,700 within 20 steps, stayed finite for 1,200 more and sat at chance).
    private const double DivergedGuessMultiple = 10;
    private long lastValidationStep = -1;
    private CheckpointContent? lastGood;

    // Checkpoints are named by their weight step, and a reference to one (path, size, SHA-256)
    // may be out as soon as it is written: the coordinator moves a member by resuming it
    // elsewhere from the checkpoint it was told of, then stopping it here. So a weight step's
    // file, once this run has written it (or resumed from it), is never rewritten: asked for a
    // checkpoint again at that weight step (a CheckpointNow, then a stop, between two steps, or
    // after a hyper step), the run announces that file again. `changes` counts what alters a
    // checkpoint's content (steps, exchanges, exploits, restores), to say when such a file is
    // older than the state.
    private long changes;
    private (long Step, long Changes, string Path)? written;
    private int recoveries;
    private Evaluation? bestValidation;

    /// <summary>
    /// Continues from the newest checkpoint in the run directory that passes its checksum
    /// (corrupt ones are reported and skipped); false when there is none. Call before <see cref="Run"/> or <see cref="Begin"/>.
    /// </summary>
    public bool Resume()
    {
        if (directory is null) throw new InvalidOperationException("a run without a directory has no checkpoints to resume from.");
        if (!Directory.Exists(directory.CheckpointsPath)) return false;
        var skipped = new List<CheckpointException>();
        var content = new CheckpointDirectory(directory.CheckpointsPath).ReadNewestValid(skipped);
        foreach (var e in skipped) Notice($"skipped a bad checkpoint: {e.Message}");
        if (content is null) return false;

        Restore(content);
        var bestPath = Path.Combine(directory.ModelPath, ExportedModel.WeightsFileName);
        if (File.Exists(bestPath))
        {
            best = CheckpointReader.Read(bestPath);
            bestValidation = new Evaluation(counters.KeptValidationLoss, counters.KeptValidationAccuracy, validationIndices.Count);
        }
        Notice($"resumed from weight step {counters.WeightSteps} ({content.SourcePath})");
        return true;
    }

    /// <summary>A checkpoint of everything the next step depends on.</summary>
    internal CheckpointContent Capture()
    {
        var content = CheckpointContent.Capture(model, counters.WeightSteps, JsonSerializer.Serialize(config, ConfigJson));
        if (space is not null) content.AddTensors(CheckpointSections.Hyper, [("lambda", space.Unconstrained), ("scale", space.ScaleRaw)]);
        content.AddTensors(WeightOptimizerSection, weights.Optimizer.State.Select(s => (s.Key, s.Value)));
        if (average is not null) content.AddTensors(CheckpointSections.Average, average.State);
        if (hyperOptimizer is not null) content.AddTensors(HyperOptimizerSection, hyperOptimizer.State.Select(s => (s.Key, s.Value)));
        counters.WriteTo(content);
        return content;
    }

    /// <summary>Puts the run exactly where <paramref name="content"/> was captured.</summary>
    internal void Restore(CheckpointContent content)
    {
        changes++;
        LoadLearnedState(content);
        counters = RunCounters.ReadFrom(content);
        stn?.Restore(counters.WeightSteps, counters.HyperSteps);
        content.RestoreRng();
        if (directory is not null && content.SourcePath is { } source
            && Path.GetFullPath(source) == Path.GetFullPath(new CheckpointDirectory(directory.CheckpointsPath).PathOf(counters.WeightSteps)))
        {
            written = (counters.WeightSteps, changes, source); // this run's own file for its step: referenced already
        }
    }

    /// <summary>The loss above which a run counts as diverged (besides NaN and infinity).</summary>
    public double DivergedLoss => DivergedGuessMultiple * Math.Log(data.Train.ClassCount);

    /// <summary>The multiplier on every weight step: 1, halved by each divergence recovery, doubled back after each stable checkpoint interval.</summary>
    public double StepScale => counters.StepScale;

    private bool Diverging(double loss) => !double.IsFinite(loss) || loss > DivergedLoss;

    // A loss went NaN, infinite or far above a guess's (DESIGN §5: a diverging member is
    // restored, not left to poison the run): the weights, λ, σ and optimizer state go back to
    // the last checkpoint taken, and the steps are half as large, because fresh batches alone
    // would walk the same step size into the same instability, until a checkpoint interval of
    // stable steps doubles them back (RunCounters.StableStep); the step counters, the
    // loaders and the generator go on, so the steps that follow see fresh batches and fresh
    // noise. Gives up after a few tries.
    private void Recover(double loss)
    {
        if (lastGood is null || recoveries >= MaxRecoveries) throw new TrainingDivergedException(counters.WeightSteps, loss);
        recoveries++;
        LoadLearnedState(lastGood);
        counters.BackOff();
        var why = double.IsFinite(loss) ? $"is above {DivergedLoss:F1} ({DivergedGuessMultiple:0} times a uniform guess's)" : "is not finite";
        Notice($"loss {loss} at weight step {counters.WeightSteps} {why}: restored the state of step {lastGood.Step} and halved the step size until it has been stable for {config.Reporting.CheckpointEverySteps} steps (recovery {recoveries} of {MaxRecoveries})");
        Diverged(loss, lastGood.Step);
    }

    // Weights, λ̃, s and both optimizers' state: what resume and divergence recovery share.
    private void LoadLearnedState(CheckpointContent content)
    {
        content.LoadInto(model);
        if (space is not null) content.LoadInto(CheckpointSections.Hyper, [("lambda", space.Unconstrained), ("scale", space.ScaleRaw)]);
        LoadOptimizer(content, WeightOptimizerSection, weights.Optimizer);
        if (average is not null) content.LoadInto(CheckpointSections.Average, average.State);
        if (hyperOptimizer is not null) LoadOptimizer(content, HyperOptimizerSection, hyperOptimizer);
    }

    private static void LoadOptimizer(CheckpointContent content, string section, Optim.Optimizer optimizer)
    {
        var saved = content.CreateTensors(section);
        try
        {
            optimizer.LoadState(saved);
        }
        finally
        {
            foreach (var t in saved.Values) t.Dispose();
        }
    }

    private void SaveCheckpoint()
    {
        if (written is { } same && same.Step == counters.WeightSteps && File.Exists(same.Path))
        {
            if (same.Changes != changes) Notice($"weight step {same.Step} has its checkpoint already; it is announced again without what changed since (hyper steps or commands)");
            Checkpointed(same.Path);
            return;
        }

        lastGood = Capture();
        if (directory is null) return;
        var checkpoints = new CheckpointDirectory(directory.CheckpointsPath);
        var path = checkpoints.SaveAsync(lastGood, CancellationToken.None).GetAwaiter().GetResult();
        checkpoints.Prune(config.Reporting.KeepCheckpoints);
        written = (counters.WeightSteps, changes, path);
        Checkpointed(path);
    }

    // Scores the current model on the validation split; it is kept (and exported) unless it is
    // measurably worse than the best so far (RunCounters.ShouldKeep: the latest model within one
    // standard error of the top). With weight averaging the average is what is scored, kept and
    // exported.
    private void Validate(int batchesPerEpoch)
    {
        using var swap = average is null ? default : average.SwapIn();
        var evaluation = Evaluate(validationIndices, data.Train);
        lastValidation = evaluation;
        lastValidationStep = counters.WeightSteps;
        RecordEvaluation("validation", evaluation, batchesPerEpoch);
        if (!counters.TryKeep(evaluation.Accuracy, evaluation.Loss, evaluation.Examples)) return;

        bestValidation = evaluation;
        best = ExportedModel.Snapshot(model, space, counters.WeightSteps);
        if (directory is not null)
        {
            ExportedModel.SaveAsync(directory.ModelPath, best, Card(evaluation.Accuracy, null, batchesPerEpoch), CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    private ModelCard Card(double validationAccuracy, double? testAccuracy, int batchesPerEpoch)
    {
        var values = CurrentHyperparameters(); // one host copy of λ for the whole card
        return new()
        {
            Weights = ExportedModel.WeightsFileName,
            Model = config.Model,
            Dataset = data.Name,
            InputShape = [data.Train.Shape.Channels, data.Train.Shape.Height, data.Train.Shape.Width],
            Mean = [.. normalization.Mean],
            Std = [.. normalization.Std],
            ClassNames = data.ClassNames is { } names ? [.. names] : ClassNames.For(data.Name, data.Train.ClassCount),
            Preprocessing = data.Preprocessing,
            Tuned = space is null
                ? []
                : [.. plan.Tuned.Select(s => new TunedHyperparameter(s.Name, s.Kind.ToString(), s.Lower, s.Upper, values[s.Name]))],
            Hyperparameters = new Dictionary<string, double>(values, StringComparer.Ordinal),
            Optimizer = config.Optimizer.Kind,
            WeightSteps = counters.WeightSteps,
            Epochs = Epochs(batchesPerEpoch),
            Parameters = ParameterCount,
            ValidationAccuracy = validationAccuracy,
            TestAccuracy = testAccuracy,
        };
    }

    private TrainingResult Finish(TrainingSession s)
    {
        var (stoppedBy, batchesPerEpoch, cancellationToken) = (s.StoppedBy!, s.BatchesPerEpoch, s.CancellationToken);
        if (!s.Window.IsEmpty) Report(s.Window, s.Clock.Elapsed, batchesPerEpoch);
        if (lastValidationStep != counters.WeightSteps) Validate(batchesPerEpoch);
        SaveCheckpoint();
        var trainedSteps = counters.WeightSteps;
        var trainedEpochs = Epochs(batchesPerEpoch);
        var finalHyperparameters = CurrentHyperparameters();

        // The kept model (RunCounters.ShouldKeep) is the one tested and exported.
        if (best is not null) ExportedModel.Restore(best, model, space);
        var bestAccuracy = counters.KeptValidationAccuracy;
        var bestStep = best?.Step ?? counters.WeightSteps;
        var test = Evaluate(Enumerable.Range(0, data.Test.Count).ToList(), data.Test);
        RecordEvaluation("test", test, batchesPerEpoch);
        string? cardPath = null;
        if (directory is not null)
        {
            var card = Card(bestAccuracy, test.Accuracy, batchesPerEpoch) with { WeightSteps = bestStep };
            ExportedModel.WriteCardAsync(directory.ModelPath, card, CancellationToken.None).GetAwaiter().GetResult();
            cardPath = Path.Combine(directory.ModelPath, ExportedModel.CardFileName);
        }

        var result = new TrainingResult
        {
            Validation = bestValidation ?? lastValidation ?? default,
            Test = test,
            WeightSteps = trainedSteps,
            HyperSteps = counters.HyperSteps,
            Epochs = trainedEpochs,
            Elapsed = counters.Elapsed,
            Hyperparameters = finalHyperparameters,
            StoppedBy = stoppedBy,
            ModelCardPath = cardPath,
        };
        if (directory is not null)
        {
            var json = JsonSerializer.Serialize(new
            {
                test_accuracy = test.Accuracy,
                test_loss = test.Loss,
                best_validation_accuracy = bestAccuracy,
                top_validation_accuracy = counters.TopValidationAccuracy,
                best_weight_step = bestStep,
                weight_steps = trainedSteps,
                hyper_steps = counters.HyperSteps,
                epochs = trainedEpochs,
                seconds = counters.Elapsed.TotalSeconds,
                stopped_by = stoppedBy,
                hyperparameters = finalHyperparameters,
                model = cardPath,
            }, new JsonSerializerOptions { WriteIndented = true });
            AtomicFile.WriteAllTextAsync(directory.ResultPath, json, cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken).GetAwaiter().GetResult();
        }

        return result;
    }
}
