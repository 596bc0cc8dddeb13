using System.Diagnostics;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// A <see cref="TrainingRun"/> being trained one step at a time, from
/// <see cref="TrainingRun.Begin"/>: it owns what the training loop keeps between steps (the
/// batch loaders, the clock, the report windows), so an owner can take one <see cref="Step"/>
/// per message and carry out its commands between two of them. Use it on the run's thread
/// only, like the run; dispose it when done.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly TrainingRun run;
    private bool ended;
    private bool disposed;

    internal TrainingSession(TrainingRun run, BatchLoader train, BatchLoader? validation, MemberObserver? member, int evalEvery, TimeSpan startElapsed, CancellationToken cancellationToken)
    {
        this.run = run;
        Train = train;
        Validation = validation;
        Member = member;
        EvalEvery = evalEvery;
        StartElapsed = startElapsed;
        CancellationToken = cancellationToken;
        Window = new ReportWindow(Clock.Elapsed);
        MemberWindow = member is null ? null : new ReportWindow(Clock.Elapsed);
    }

    /// <summary>The run being trained.</summary>
    public TrainingRun Run => run;

    /// <summary>
    /// Which limit ended training (<c>budget</c>, <c>epochs</c>, <c>max_steps</c>,
    /// <c>cancelled</c>, or <see cref="TrainingRun.StoppedByOwner"/>); null while it goes on.
    /// </summary>
    public string? StoppedBy { get; internal set; }

    internal BatchLoader Train { get; }

    internal BatchLoader? Validation { get; }

    internal MemberObserver? Member { get; }

    internal int BatchesPerEpoch => Train.BatchesPerEpoch;

    internal int EvalEvery { get; }

    internal Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Training time of earlier sessions (a resumed run goes on counting from there).</summary>
    internal TimeSpan StartElapsed { get; }

    internal CancellationToken CancellationToken { get; }

    /// <summary>Steps since the last progress report (<c>reporting.log_every_steps</c>).</summary>
    internal ReportWindow Window { get; }

    /// <summary>Steps since the last report to the member's owner (<see cref="MemberObserver.ReportEverySteps"/>).</summary>
    internal ReportWindow? MemberWindow { get; }

    /// <summary>
    /// Takes one weight step or one hyper step (reporting, validating and checkpointing when
    /// they are due, and repairing a diverged loss); false, without a step, once a limit is
    /// reached, the token fires or <see cref="TrainingRun.Stop"/> was called. Call
    /// <see cref="End"/> then.
    /// </summary>
    public bool Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return !ended && StoppedBy is null && run.Step(this);
    }

    /// <summary>
    /// Ends training. After <see cref="Step"/> returned false: as the limit says (a finished run
    /// is validated, checkpointed and scored on the test split; a stopped one is checkpointed).
    /// Before: the owner ends it here, and it is suspended like a stopped run
    /// (<see cref="TrainingRun.StoppedByOwner"/>, checkpointed, not tested).
    /// </summary>
    public TrainingResult End()
    {
        ThrowIfNotTraining();
        ended = true;
        return run.End(this);
    }

    /// <summary><see cref="TrainingRun.ApplyHyperparameterState"/> between two steps.</summary>
    public void ApplyHyperparameterState(HyperparameterState state)
    {
        ThrowIfNotTraining();
        run.ApplyHyperparameterState(state);
    }

    /// <summary><see cref="TrainingRun.Exploit"/> between two steps.</summary>
    public void Exploit(string checkpointPath, HyperparameterState hyperparameters, double exploreScale)
    {
        ThrowIfNotTraining();
        run.Exploit(checkpointPath, hyperparameters, exploreScale);
    }

    /// <summary><see cref="TrainingRun.CheckpointNow"/> between two steps (announced to <see cref="MemberObserver.Checkpointed"/>).</summary>
    public CheckpointRef CheckpointNow()
    {
        ThrowIfNotTraining();
        return run.CheckpointNow();
    }

    /// <summary>Frees the batch loaders; a session not ended is dropped as it is (nothing is saved).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Validation?.Dispose();
        Train.Dispose();
        run.Detach(this);
    }

    // Commands change a run in training; once it has ended they would act on a result already given.
    private void ThrowIfNotTraining()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!ended) return;
        var who = Member is null ? "the run" : $"member {Member.MemberId}";
        throw new InvalidOperationException($"{who} is not training, so the command cannot run.");
    }
}
