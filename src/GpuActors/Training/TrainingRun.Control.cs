using System.Security.Cryptography;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

// What an owner (a member actor obeying the coordinator) does to a run between two steps of
// its session: reports every N weight steps, hyperparameter exchange, weight exploit,
// checkpoints on demand, a clean stop, and divergence notices. Everything here runs on the
// run's own thread; only Stop() may be called from elsewhere.
public sealed partial class TrainingRun
{
    /// <summary>The <see cref="TrainingResult.StoppedBy"/> of a run its owner stopped: checkpointed, not tested.</summary>
    public const string StoppedByOwner = "stopped";

    private TrainingSession? session;
    private CheckpointRef? latestCheckpoint;
    private volatile bool stopRequested;

    /// <summary>
    /// Ends the run before its next step, with a checkpoint (any thread: the session's next
    /// <see cref="TrainingSession.Step"/> returns false and it ends with <see cref="StoppedByOwner"/>).
    /// </summary>
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
    public void ApplyHyperparameterState(HyperparameterState state)
    {
        HyperparameterStateCodec.Apply(state, space, model);
        changes++;
    }

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

        changes++;
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
        SaveCheckpoint();
        return latestCheckpoint?.Clone() ?? Reference(new CheckpointDirectory(directory.CheckpointsPath).PathOf(counters.WeightSteps));
    }

    // The member's report every ReportEverySteps weight steps (or log_every_steps).
    private void ReportToMember(TrainingSession s, double loss)
    {
        if (s.Member is not { } member || s.MemberWindow is not { } window) return;
        window.AddWeight(loss, batchSize);
        var every = member.ReportEverySteps > 0 ? member.ReportEverySteps : config.Reporting.LogEverySteps;
        if (counters.WeightSteps % every == 0) SendReport(member, window, s.Clock.Elapsed, s.BatchesPerEpoch);
    }

    private void SendReport(MemberObserver member, ReportWindow window, TimeSpan now, int batchesPerEpoch)
    {
        if (member.Report is not { } report) return;
        var (trainLoss, _, examplesPerSecond) = window.Take(now);
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
    private TrainingResult Suspend(TrainingSession s)
    {
        var (now, batchesPerEpoch) = (s.Clock.Elapsed, s.BatchesPerEpoch);
        if (!s.Window.IsEmpty) Report(s.Window, now, batchesPerEpoch);
        if (s is { Member: { } member, MemberWindow: { IsEmpty: false } memberWindow }) SendReport(member, memberWindow, now, batchesPerEpoch);
        SaveCheckpoint();
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
        if (session?.Member?.Checkpointed is not { } callback) return;
        latestCheckpoint = Reference(path);
        callback(latestCheckpoint.Clone());
    }

    private void Diverged(double loss, long restoredStep)
    {
        session?.Member?.Diverged?.Invoke(new MemberDivergence(counters.WeightSteps, loss, restoredStep, recoveries, ExportHyperparameterState()));
    }

    // The session ended and freed its loaders: the run may begin another.
    internal void Detach(TrainingSession ended)
    {
        if (session == ended) session = null;
    }

    // The file as written: the coordinator and a fetching worker check transfers against it.
    private CheckpointRef Reference(string path)
    {
        using var file = File.OpenRead(path);
        var sha256 = SHA256.HashData(file);
        return new CheckpointRef
        {
            MemberId = session?.Member?.MemberId ?? string.Empty,
            Step = counters.WeightSteps,
            Path = path,
            SizeBytes = file.Length,
            Sha256 = ByteString.CopyFrom(sha256),
        };
    }
}
