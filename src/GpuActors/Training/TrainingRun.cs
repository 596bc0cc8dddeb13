using System.Diagnostics;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// One member trained on one node from a <see cref="TrainConfig"/>: loads and splits the data,
/// builds the network (hyper layers when self-tuning), runs the STN schedule (or plain steps)
/// until the first limit, evaluates on validation each epoch, keeps the best model, checkpoints,
/// and at the end scores the best model on the test split — the only time the test split is read.
/// Create, run and dispose it on one thread (libtorch's grad mode is per thread).
/// </summary>
public sealed partial class TrainingRun : IDisposable
{
    private readonly TrainConfig config;
    private readonly RunDirectory? directory;
    private readonly TrainingObserver observer;
    private readonly TrainTestSets data;
    private readonly IReadOnlyList<int> trainIndices;
    private readonly IReadOnlyList<int> validationIndices;
    private readonly Normalization normalization;
    private readonly Device device;
    private readonly HyperparameterPlan plan;
    private readonly HyperparameterSpace? space;
    private readonly Classifier model;
    private readonly WeightOptimizer weights;
    private readonly WeightAverage? average;
    private readonly Adam? hyperOptimizer;
    private readonly StnTrainer? stn;
    private readonly StnRegularizers? fixedRegularizers;
    private readonly AugmentationFiller augmentation;
    private readonly IReadOnlySet<string> tunedNames;
    private readonly JsonLines metrics;
    private readonly JsonLines schedule;
    private RunCounters counters = new();
    private CheckpointContent? best;
    private Evaluation? lastValidation;

    /// <summary>
    /// Prepares a run: reads the data (bad files throw <see cref="DataFormatException"/>), seeds
    /// the generator, builds the model and optimizers. With <paramref name="directory"/>, the run
    /// writes metrics, schedules, checkpoints and the exported model there.
    /// </summary>
    public TrainingRun(TrainConfig config, RunDirectory? directory = null, TrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        this.config = config;
        this.directory = directory;
        this.observer = observer ?? new TrainingObserver();
        device = TrainingDevice.Resolve(config.Device);
        plan = HyperparameterPlan.Resolve(config.Stn, config.Model.Kind);
        tunedNames = plan.Tuned.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        data = DatasetCatalog.Load(config.Data.Path);
        var split = DataSplit.Carve(data.Train.Count, config.Data.ValidationFraction, config.Seed);
        trainIndices = config.Data.TrainLimit is { } limit ? split.Train.Take(limit).ToList() : split.Train;
        validationIndices = split.Validation;
        normalization = Normalization.Measure(data.Train, trainIndices);
        augmentation = new AugmentationFiller(plan, config.Data.BatchSize);

        Torch.Torch.ManualSeed(config.Seed);
        HyperInput? input = null;
        if (plan.Tuned.Count > 0)
        {
            space = new HyperparameterSpace(plan.Tuned);
            input = new HyperInput(space.Count);
        }

        // Built on the CPU (the same seed gives the same initial weights everywhere), then moved;
        // everything made from the model below (optimizer state, the average) is made on the device.
        model = ModelFactory.Create(config.Model, data.Train.Shape, data.Train.ClassCount, input, config.Optimizer.Kind);
        model.MoveTo(device);
        space?.MoveTo(device);
        weights = new WeightOptimizer(config.Optimizer, model, config.Model.Kind);
        if (config.Optimizer.AveragesWeights)
        {
            // Horizon: average_epochs passes over the data (default one), so the average forgets older weights.
            var stepsPerEpoch = trainIndices.Count / (double)config.Data.BatchSize;
            average = new WeightAverage(model.NamedParameters(), Math.Max(1, (long)Math.Ceiling(config.Optimizer.AverageEpochs * stepsPerEpoch)));
        }

        if (space is not null && input is not null)
        {
            hyperOptimizer = new Adam([("lambda", space.Unconstrained), ("scale", space.ScaleRaw)], config.Stn.HyperLearningRate);
            var options = new StnOptions
            {
                WarmupSteps = config.Stn.WarmupSteps,
                TrainSteps = config.Stn.TrainSteps,
                ValSteps = config.Stn.ValSteps,
                EntropyWeight = config.Stn.EntropyWeight,
            };
            stn = new StnTrainer(model, space, input, weights.Optimizer, hyperOptimizer, options, plan.Fixed);
        }
        else
        {
            fixedRegularizers = new StnRegularizers(null, model, plan.Fixed);
        }

        metrics = new JsonLines(directory?.MetricsPath);
        schedule = new JsonLines(directory is null || stn is null ? null : directory.SchedulePath);
    }

    /// <summary>Where the model trains.</summary>
    public Device Device => device;

    /// <summary>Weight steps taken so far.</summary>
    public long WeightSteps => counters.WeightSteps;

    /// <summary>The trained network.</summary>
    public Classifier Model => model;

    /// <summary>Scalars the optimizer trains.</summary>
    public long ParameterCount => model.NamedParameters().Sum(p => p.Parameter.Value.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>The dataset's name (e.g. <c>fashion-mnist</c>).</summary>
    public string DatasetName => data.Name;

    /// <summary>Examples in the training and validation splits.</summary>
    public (int Train, int Validation, int Test) SplitSizes => (trainIndices.Count, validationIndices.Count, data.Test.Count);

    /// <summary>
    /// Trains until the first limit (budget, epochs, max steps) or <paramref name="cancellationToken"/>,
    /// then evaluates the best model on the test split.
    /// </summary>
    public TrainingResult Run(CancellationToken cancellationToken = default)
    {
        var batchSize = config.Data.BatchSize;
        using var train = new BatchLoader(data.Train, trainIndices, normalization,
            BatchLoaderOptions.Training(batchSize, config.Seed) with { StartBatch = counters.TrainBatches, Device = device });
        using var validation = stn is null
            ? null
            : new BatchLoader(data.Train, validationIndices, normalization,
                new BatchLoaderOptions { BatchSize = config.Stn.ValBatchSize ?? batchSize, Augment = false, Seed = config.Seed + 1, StartBatch = counters.ValidationBatches, Device = device });
        var batchesPerEpoch = train.BatchesPerEpoch;
        var evalEvery = config.Reporting.EvalEverySteps ?? batchesPerEpoch;
        var clock = Stopwatch.StartNew();
        var startElapsed = counters.Elapsed;
        var window = new ReportWindow(clock.Elapsed);
        lastGood ??= Capture();
        string? stoppedBy;
        while (true)
        {
            counters.Elapsed = startElapsed + clock.Elapsed;
            stoppedBy = cancellationToken.IsCancellationRequested ? "cancelled" : BetweenSteps() ?? Limit(batchesPerEpoch);
            if (stoppedBy is not null) break;
            if (stn is not null && validation is not null && stn.Next == StnStepKind.Hyper)
            {
                var v = validation.Next();
                var hyperLoss = stn.HyperStep(v.Images, v.Labels);
                counters.ValidationBatches++;
                counters.HyperSteps++;
                if (Diverging(hyperLoss))
                {
                    Recover(hyperLoss);
                    continue;
                }

                window.AddHyper(hyperLoss);
                RecordSchedule(hyperLoss, v.Images.Shape[0], batchesPerEpoch);
                observer.Step?.Invoke(counters.WeightSteps, true, hyperLoss);
                continue;
            }

            weights.Schedule(Fraction(batchesPerEpoch), counters.StepScale);
            var loss = WeightStep(train);
            counters.TrainBatches++;
            counters.WeightSteps++;
            if (Diverging(loss))
            {
                Recover(loss);
                continue;
            }

            if (counters.StableStep(config.Reporting.CheckpointEverySteps))
            {
                Notice($"the step size is back to {counters.StepScale:0.###} of full after {config.Reporting.CheckpointEverySteps} stable steps");
            }

            average?.Update(counters.WeightSteps);
            window.AddWeight(loss, batchSize);
            observer.Step?.Invoke(counters.WeightSteps, false, loss);
            var step = counters.WeightSteps;
            if (step % config.Reporting.LogEverySteps == 0)
            {
                counters.Elapsed = startElapsed + clock.Elapsed;
                Report(window, clock.Elapsed, batchesPerEpoch);
            }

            if (step % evalEvery == 0) Validate(batchesPerEpoch, cancellationToken);
            if (step % config.Reporting.CheckpointEverySteps == 0)
            {
                counters.Elapsed = startElapsed + clock.Elapsed;
                SaveCheckpoint(cancellationToken);
            }

            AfterWeightStep(loss, clock.Elapsed, batchesPerEpoch);
        }

        return stoppedBy == StoppedByOwner
            ? Suspend(batchesPerEpoch, window, clock.Elapsed)
            : Finish(stoppedBy, batchesPerEpoch, window, clock.Elapsed, cancellationToken);
    }

    private double WeightStep(BatchLoader train)
    {
        using var sample = stn?.Sample(config.Data.BatchSize);
        var batch = train.Next(augmentation.Fill(sample));
        if (stn is not null && sample is not null) return stn.WeightStep(batch.Images, batch.Labels, sample);

        using var scope = TensorScope.Begin();
        model.Train();
        fixedRegularizers!.Set(null);
        try
        {
            var loss = Functional.CrossEntropy(model.Forward(fixedRegularizers.Input(batch.Images)), batch.Labels);
            loss.Backward();
            weights.Optimizer.Step();
            return loss.ToDouble();
        }
        finally
        {
            fixedRegularizers.Clear();
        }
    }

    // The first limit reached, or null to go on.
    private string? Limit(int batchesPerEpoch)
    {
        if (config.MaxSteps is { } max && counters.WeightSteps >= max) return "max_steps";
        if (config.Epochs is { } epochs && counters.TrainBatches >= (long)Math.Ceiling(epochs * batchesPerEpoch)) return "epochs";
        if (config.Budget is { } budget && counters.Elapsed >= budget) return "budget";
        return null;
    }

    // How far the run is towards its nearest limit, 0–1 (drives the progress bar and SGD's one-cycle schedule).
    private double Fraction(int batchesPerEpoch)
    {
        var fraction = 0.0;
        if (config.MaxSteps is { } max) fraction = Math.Max(fraction, (double)counters.WeightSteps / max);
        if (config.Epochs is { } epochs) fraction = Math.Max(fraction, counters.TrainBatches / (epochs * batchesPerEpoch));
        if (config.Budget is { } budget) fraction = Math.Max(fraction, counters.Elapsed / budget);
        return Math.Min(1, fraction);
    }

    private Evaluation Evaluate(IReadOnlyList<int> indices, ImageDataset split) =>
        Evaluator.Evaluate(images => stn is not null ? stn.Evaluate(images) : EvaluatePlain(images), split, indices, normalization, config.Data.EvalBatchSize, device);

    private Tensor EvaluatePlain(Tensor images)
    {
        model.Eval();
        try
        {
            return model.Forward(images);
        }
        finally
        {
            model.Train();
        }
    }

    /// <summary>Frees the model, optimizers, space and the best-model snapshot's files stay on disk.</summary>
    public void Dispose()
    {
        metrics.Dispose();
        schedule.Dispose();
        hyperOptimizer?.Dispose();
        average?.Dispose();
        weights.Dispose();
        model.Dispose();
        space?.Dispose();
    }
}
