using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Stn;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// One member trained on one node from a <see cref="TrainConfig"/>: loads and splits the data,
/// builds the network (hyper layers when self-tuning), runs the STN schedule (or plain steps)
/// until the first limit, evaluates on validation each epoch, keeps a model
/// (<see cref="RunCounters.ShouldKeep"/>), checkpoints, and at the end scores the kept model on
/// the test split — the only time the test split is read.
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
    private readonly int batchSize;
    private readonly int validationBatchSize;
    private readonly Device device;
    private readonly HyperparameterPlan plan;
    private readonly HyperparameterSpace? space;
    private readonly Classifier model;
    private readonly WeightOptimizer weights;
    private readonly WeightAverage? average;
    private readonly Adam? hyperOptimizer;
    private readonly StnTrainer? stn;
    private readonly StnRegularizers? fixedRegularizers;
    private readonly TargetedDropout? targeted;
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
        plan = HyperparameterPlan.Resolve(config.Stn, config.Model.Kind, config.Compression.Enabled);
        tunedNames = plan.Tuned.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var notices = new List<string>();
        data = DatasetCatalog.Load(config.Data.Path, new DatasetLoadOptions
        {
            ImageSize = config.Data.ImageSize,
            Progress = this.observer.Decoding,
            Notice = notices.Add,
        });
        var split = data.Split(config.Data.ValidationFraction, config.Seed);
        trainIndices = config.Data.TrainLimit is { } limit ? split.Train.Take(limit).ToList() : split.Train;
        validationIndices = split.Validation;
        normalization = Normalization.Measure(data.Train, trainIndices);
        // A small image folder can hold fewer images than a batch; drop-last would then leave no
        // batch at all, so a batch is at most the whole split.
        batchSize = Math.Min(config.Data.BatchSize, trainIndices.Count);
        validationBatchSize = Math.Min(config.Stn.ValBatchSize ?? config.Data.BatchSize, Math.Max(1, validationIndices.Count));
        if (batchSize < config.Data.BatchSize) notices.Add($"data.batch_size {config.Data.BatchSize} is more than the {trainIndices.Count} training images: each batch is all of them");
        augmentation = new AugmentationFiller(plan, batchSize);

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
        targeted = config.Compression.Sparsity is { } gamma ? new TargetedDropout(model, gamma, config.Compression.Mode) : null;
        weights = new WeightOptimizer(config.Optimizer, model, config.Model.Kind);
        if (config.Optimizer.AveragesWeights)
        {
            // Horizon: average_epochs passes over the data (default one), so the average forgets older weights.
            var stepsPerEpoch = trainIndices.Count / (double)batchSize;
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
                CalibratedObjective = config.Stn.Objective == "calibrated",
            };
            stn = new StnTrainer(model, space, input, weights.Optimizer, hyperOptimizer, options, plan.Fixed, targeted);
        }
        else
        {
            fixedRegularizers = new StnRegularizers(null, model, plan.Fixed, targeted);
        }

        metrics = new JsonLines(directory?.MetricsPath);
        schedule = new JsonLines(directory is null || stn is null ? null : directory.SchedulePath);
        foreach (var notice in notices) Notice(notice);
        ReportSkippedFiles();
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
    /// then evaluates the kept model on the test split.
    /// </summary>
    public TrainingResult Run(CancellationToken cancellationToken = default)
    {
        using var session = Begin(cancellationToken: cancellationToken);
        while (session.Step())
        {
        }

        return session.End();
    }

    /// <summary>
    /// Starts training one step at a time (what <see cref="Run(CancellationToken)"/> loops over):
    /// the session's <see cref="TrainingSession.Step"/> takes each step and its
    /// <see cref="TrainingSession.End"/> finishes. With <paramref name="member"/>, the run's owner
    /// hears its reports, checkpoints and divergences. One session at a time.
    /// </summary>
    public TrainingSession Begin(MemberObserver? member = null, CancellationToken cancellationToken = default)
    {
        if (session is not null) throw new InvalidOperationException("the run is already training.");
        BatchLoader? train = null;
        BatchLoader? validation = null;
        try
        {
            train = new BatchLoader(data.Train, trainIndices, normalization,
                BatchLoaderOptions.Training(batchSize, config.Seed) with { StartBatch = counters.TrainBatches, Device = device });
            validation = stn is null
                ? null
                : new BatchLoader(data.Train, validationIndices, normalization,
                    new BatchLoaderOptions { BatchSize = validationBatchSize, Augment = false, Seed = config.Seed + 1, StartBatch = counters.ValidationBatches, Device = device });
            lastGood ??= Capture();
            var evalEvery = config.Reporting.EvalEverySteps ?? train.BatchesPerEpoch;
            session = new TrainingSession(this, train, validation, member, evalEvery, counters.Elapsed, cancellationToken);
            (train, validation) = (null, null); // the session owns them now
            return session;
        }
        finally
        {
            validation?.Dispose();
            train?.Dispose();
        }
    }

    // One pass of the training loop: the stop and limit checks, then one hyper or weight step.
    internal bool Step(TrainingSession s)
    {
        counters.Elapsed = s.StartElapsed + s.Clock.Elapsed;
        s.StoppedBy = s.CancellationToken.IsCancellationRequested ? "cancelled" : stopRequested ? StoppedByOwner : Limit(s.BatchesPerEpoch);
        if (s.StoppedBy is not null) return false;
        changes++;
        if (stn is not null && s.Validation is not null && stn.Next == StnStepKind.Hyper)
        {
            HyperStep(s, s.Validation);
            return true;
        }

        var fraction = Fraction(s.BatchesPerEpoch);
        weights.Schedule(fraction, counters.StepScale);
        targeted?.Ramp(HasEnd ? fraction : 1);
        var loss = WeightStep(s.Train);
        counters.TrainBatches++;
        counters.WeightSteps++;
        if (Diverging(loss))
        {
            Recover(loss);
            return true;
        }

        if (counters.StableStep(config.Reporting.CheckpointEverySteps))
        {
            Notice($"the step size is back to {counters.StepScale:0.###} of full after {config.Reporting.CheckpointEverySteps} stable steps");
        }

        average?.Update(counters.WeightSteps);
        s.Window.AddWeight(loss, batchSize);
        observer.Step?.Invoke(counters.WeightSteps, false, loss);
        AfterWeightStep(s, loss);
        return true;
    }

    // Ends the session: suspended when its owner stopped it (or ends it before a limit), finished otherwise.
    internal TrainingResult End(TrainingSession s)
    {
        if (s.StoppedBy is null)
        {
            counters.Elapsed = s.StartElapsed + s.Clock.Elapsed;
            s.StoppedBy = StoppedByOwner;
        }

        return s.StoppedBy == StoppedByOwner ? Suspend(s) : Finish(s);
    }

    private void HyperStep(TrainingSession s, BatchLoader validation)
    {
        var v = validation.Next();
        var hyperLoss = stn!.HyperStep(v.Images, v.Labels);
        counters.ValidationBatches++;
        counters.HyperSteps++;
        if (Diverging(hyperLoss))
        {
            Recover(hyperLoss);
            return;
        }

        s.Window.AddHyper(hyperLoss);
        RecordSchedule(hyperLoss, v.Images.Shape[0], s.BatchesPerEpoch);
        observer.Step?.Invoke(counters.WeightSteps, true, hyperLoss);
    }

    // What is due after weight step N: progress, validation, a checkpoint, the owner's report.
    private void AfterWeightStep(TrainingSession s, double loss)
    {
        var step = counters.WeightSteps;
        if (step % config.Reporting.LogEverySteps == 0)
        {
            counters.Elapsed = s.StartElapsed + s.Clock.Elapsed;
            Report(s.Window, s.Clock.Elapsed, s.BatchesPerEpoch);
        }

        // The best model's export and the checkpoint are short atomic writes that a stop must not
        // interrupt: a Ctrl+C arriving during one would end the process with the exception
        // instead of stopping at the next step (which scores the best model and checkpoints).
        if (step % s.EvalEvery == 0) Validate(s.BatchesPerEpoch);
        if (step % config.Reporting.CheckpointEverySteps == 0)
        {
            counters.Elapsed = s.StartElapsed + s.Clock.Elapsed;
            SaveCheckpoint();
        }

        ReportToMember(s, loss);
    }

    private double WeightStep(BatchLoader train)
    {
        using var sample = stn?.Sample(batchSize);
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

    // Whether the run has a known end, so Fraction means something.
    private bool HasEnd => config.MaxSteps is not null || config.Epochs is not null || config.Budget is not null || config.Horizon is not null;

    // How far the run is towards its nearest limit, 0–1 (drives the progress bar and SGD's one-cycle schedule).
    private double Fraction(int batchesPerEpoch)
    {
        var fraction = 0.0;
        if (config.MaxSteps is { } max) fraction = Math.Max(fraction, (double)counters.WeightSteps / max);
        if (config.Epochs is { } epochs) fraction = Math.Max(fraction, counters.TrainBatches / (epochs * batchesPerEpoch));
        if (config.Budget is { } budget) fraction = Math.Max(fraction, counters.Elapsed / budget);
        if (config.Horizon is { } horizon) fraction = Math.Max(fraction, horizon.Progress(DateTimeOffset.UtcNow));
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
        targeted?.Dispose();
        model.Dispose();
        space?.Dispose();
    }
}
