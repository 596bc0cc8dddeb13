using System.Security.Cryptography;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

// What an owner (a member actor obeying the coordinator) does to a run between two steps:
// queued commands through a MemberControl, reports every N weight steps, hyperparameter
// exchange, weight exploit, checkpoints on demand, a clean stop, and divergence notices.
// Everything here runs on the run's own thread; only Stop() may be called from elsewhere.
public sealed partial class TrainingRun
{
    /// <summary>The <see cref="TrainingResult.StoppedBy"/> of a run its owner stopped: checkpointed, not tested.</summary>
    public const string StoppedByOwner = "stopped";

    private MemberControl? control;
    private ReportWindow? ownerWindow;
    private CheckpointRef? latestCheckpoint;
    private volatile bool stopRequested;

    /// <summary>
    /// Trains like <see cref="Run(CancellationToken)"/> while obeying <paramref name="control"/>:
    /// its queued commands run between steps in the order posted, its callbacks hear reports,
    /// checkpoints and divergences, and its stop ends the run after the current step with a
    /// checkpoint. When the run ends, commands still queued (and any posted later) fail.
    /// </summary>
    public TrainingResult Run(MemberControl control, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(control);
        if (this.control is not null) throw new InvalidOperationException("the run is already running under a member control.");
        this.control = control;
        ownerWindow = new ReportWindow(TimeSpan.Zero); // Run's clock starts at zero too
        try
        {
            return Run(cancellationToken);
        }
        finally
        {
            this.control = null;
            ownerWindow = null;
            control.Close();
        }
    }

    /// <summary>Ends the run after the current step with a checkpoint (any thread; the run stops with <see cref="StoppedByOwner"/>).</summary>
    public void Stop() => stopRequested = true;

    /// <summary>
    /// Continues from one checkpoint file: weights, λ̃, s, optimizers, step counters, loader
    /// positions and the generator, as <see cref="Resume"/> does with the newest one in the
    /// run directory. Call before <see cref="Run(CancellationToken)"/>.
    /// </summary>
    public void ResumeFrom(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        var content = CheckpointReader.Read(checkpointPath);
        Restore(content);
        lastGood = content;
        Notice($"resumed from weight step {counters.WeightSteps} ({checkpointPath})");
    }

    /// <summary>This member's λ̃, σ and hyper-gate coefficients, without weights (a host copy).</summary>
    public HyperparameterState ExportHyperparameterState() => HyperparameterStateCodec.Export(space, model, counters.WeightSteps);

    /// <summary>
    /// Hyperparameter-only exchange: λ̃ and s (and the gates, when the state carries them)
    /// replace this member's; weights, optimizer state and counters stay. A state for another
    /// set of hyperparameters or layers throws one <see cref="ArgumentException"/> listing every
    /// mismatch, and changes nothing.
    /// </summary>
    public void ApplyHyperparameterState(HyperparameterState state) => HyperparameterStateCodec.Apply(state, space, model);

    /// <summary>
    /// Weight exploit: loads the weights, λ̃, s and optimizer state of another member's checkpoint
    /// while this member keeps its own step counters, loader positions and generator; then takes
    /// <paramref name="hyperparameters"/> (already explored by the coordinator) or, when that
    /// state is empty, explores the loaded values itself by multiplying them by
    /// <paramref name="exploreScale"/>. A file or state that does not fit changes nothing.
    /// </summary>
    public void Exploit(string checkpointPath, HyperparameterState hyperparameters, double exploreScale)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (!(exploreScale > 0) || !double.IsFinite(exploreScale))
        {
            throw new ArgumentOutOfRangeException(nameof(exploreScale), exploreScale, "the explore scale must be a positive finite factor.");
        }

        var given = hyperparameters.Hyperparameters.Count > 0 || hyperparameters.Gates.Count > 0;
        if (given) HyperparameterStateCodec.Check(hyperparameters, space, model);
        var source = CheckpointReader.Read(checkpointPath);
        var own = Capture();
        try
        {
            LoadLearnedState(source);
        }
        catch (Exception e) when (e is CheckpointException or ArgumentException)
        {
            // The checkpoint came from a differently shaped member: put ours back whole.
            LoadLearnedState(own);
            throw;
        }

        if (given) HyperparameterStateCodec.Apply(hyperparameters, space, model);
        else if (space is not null) HyperparameterStateCodec.Explore(space, exploreScale);

        // A later divergence must fall back to the exploited state, not the one left behind.
        lastGood = Capture();
        Notice($"exploited {checkpointPath} (weight step {source.Step}) at weight step {counters.WeightSteps}");
    }

    /// <summary>Writes a checkpoint now and returns where it is, its size and the SHA-256 of the file.</summary>
    public CheckpointRef CheckpointNow()
    {
        if (directory is null) throw new InvalidOperationException("a run without a directory cannot write checkpoints.");
        SaveCheckpoint(CancellationToken.None);
        return latestCheckpoint?.Clone() ?? Reference(new CheckpointDirectory(directory.CheckpointsPath).PathOf(counters.WeightSteps));
    }

    // Between two steps: the owner's queued commands in order, then its stop request.
    private string? BetweenSteps()
    {
        control?.RunPending(this);
        return stopRequested || control?.StopRequested == true ? StoppedByOwner : null;
    }

    private void AfterWeightStep(double loss, TimeSpan now, int batchesPerEpoch)
    {
        if (control is null || ownerWindow is null) return;
        ownerWindow.AddWeight(loss, config.Data.BatchSize);
        var every = control.ReportEverySteps > 0 ? control.ReportEverySteps : config.Reporting.LogEverySteps;
        if (counters.WeightSteps % every == 0) ReportToOwner(now, batchesPerEpoch);
    }

    private void ReportToOwner(TimeSpan now, int batchesPerEpoch)
    {
        if (control?.Report is not { } report || ownerWindow is null) return;
        var (trainLoss, _, examplesPerSecond) = ownerWindow.Take(now);
        report(new MemberProgress
        {
            Step = counters.WeightSteps,
            Epoch = Epochs(batchesPerEpoch),
            TrainLoss = trainLoss,
            ValidationLoss = lastValidation?.Loss ?? double.NaN,
            ValidationAccuracy = lastValidation?.Accuracy ?? double.NaN,
            ExamplesPerSecond = examplesPerSecond,
            Hyperparameters = ExportHyperparameterState(),
        });
    }

    // The owner's stop: the steps since the last report are reported, a checkpoint is written,
    // and the run returns without touching the test split (the member may go on elsewhere).
    private TrainingResult Suspend(int batchesPerEpoch, ReportWindow window, TimeSpan now)
    {
        if (!window.IsEmpty) Report(window, now, batchesPerEpoch);
        if (ownerWindow is { IsEmpty: false }) ReportToOwner(now, batchesPerEpoch);
        SaveCheckpoint(CancellationToken.None);
        return new TrainingResult
        {
            Validation = bestValidation ?? lastValidation ?? default,
            Test = default,
            WeightSteps = counters.WeightSteps,
            HyperSteps = counters.HyperSteps,
            Epochs = Epochs(batchesPerEpoch),
            Elapsed = counters.Elapsed,
            Hyperparameters = CurrentHyperparameters(),
            StoppedBy = StoppedByOwner,
        };
    }

    private void Checkpointed(string path)
    {
        latestCheckpoint = null;
        if (control?.Checkpointed is not { } callback) return;
        latestCheckpoint = Reference(path);
        callback(latestCheckpoint.Clone());
    }

    private void Diverged(double loss, long restoredStep)
    {
        control?.Diverged?.Invoke(new MemberDivergence(counters.WeightSteps, loss, restoredStep, recoveries, ExportHyperparameterState()));
    }

    // The file as written: the coordinator and a fetching worker check transfers against it.
    private CheckpointRef Reference(string path)
    {
        using var file = File.OpenRead(path);
        var sha256 = SHA256.HashData(file);
        return new CheckpointRef
        {
            MemberId = control?.MemberId ?? string.Empty,
            Step = counters.WeightSteps,
            Path = path,
            SizeBytes = file.Length,
            Sha256 = ByteString.CopyFrom(sha256),
        };
    }
}
