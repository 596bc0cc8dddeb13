using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// The owner's handle on a <see cref="TrainingRun"/> running on its own thread: commands posted
/// from any thread queue up and run on the training thread between two steps, in the order
/// posted, so nothing races the step in progress. The callbacks run on the training thread:
/// keep them quick (hand the value to a channel). Pass it to <see cref="TrainingRun.Run(MemberControl, CancellationToken)"/>.
/// </summary>
public sealed class MemberControl
{
    private readonly object gate = new();
    private readonly Queue<IPending> pending = new();
    private bool closed;
    private volatile bool stopRequested;

    /// <summary>Creates the control of member <paramref name="memberId"/> (stamped on its checkpoint references).</summary>
    public MemberControl(string memberId)
    {
        ArgumentException.ThrowIfNullOrEmpty(memberId);
        MemberId = memberId;
    }

    /// <summary>The member this control drives.</summary>
    public string MemberId { get; }

    /// <summary>Weight steps between <see cref="Report"/> calls; 0 uses the run's <c>reporting.log_every_steps</c>.</summary>
    public int ReportEverySteps { get; init; }

    /// <summary>Every <see cref="ReportEverySteps"/> weight steps, and once more when the owner stops the run.</summary>
    public Action<MemberProgress>? Report { get; init; }

    /// <summary>After every checkpoint the run writes: periodic, on demand, at the stop and at the end.</summary>
    public Action<CheckpointRef>? Checkpointed { get; init; }

    /// <summary>After a non-finite loss was repaired by restoring the last checkpoint's state.</summary>
    public Action<MemberDivergence>? Diverged { get; init; }

    /// <summary>Whether <see cref="Stop"/> was called.</summary>
    public bool StopRequested => stopRequested;

    /// <summary>
    /// Runs <paramref name="command"/> on the training thread between two steps. A command that
    /// fails without harming the run (a state or checkpoint that does not fit, a disk error)
    /// faults the task and training goes on; any other failure also ends the run. Fails at once
    /// when the run has ended.
    /// </summary>
    public Task<T> PostAsync<T>(Func<TrainingRun, T> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var item = new Pending<T>(command);
        lock (gate)
        {
            if (closed) return Task.FromException<T>(NotTraining());
            pending.Enqueue(item);
        }

        return item.Task;
    }

    /// <summary><see cref="TrainingRun.ExportHyperparameterState"/> between steps.</summary>
    public Task<HyperparameterState> ExportHyperparameterStateAsync() => PostAsync(run => run.ExportHyperparameterState());

    /// <summary><see cref="TrainingRun.ApplyHyperparameterState"/> between steps.</summary>
    public Task ApplyHyperparameterStateAsync(HyperparameterState state) => PostAsync(run =>
    {
        run.ApplyHyperparameterState(state);
        return true;
    });

    /// <summary><see cref="TrainingRun.Exploit"/> between steps.</summary>
    public Task ExploitAsync(string checkpointPath, HyperparameterState hyperparameters, double exploreScale) => PostAsync(run =>
    {
        run.Exploit(checkpointPath, hyperparameters, exploreScale);
        return true;
    });

    /// <summary><see cref="TrainingRun.CheckpointNow"/> between steps.</summary>
    public Task<CheckpointRef> CheckpointNowAsync() => PostAsync(run => run.CheckpointNow());

    /// <summary>Ends the run after the current step (and any commands queued before this call), with a checkpoint.</summary>
    public void Stop() => stopRequested = true;

    // On the training thread, between steps.
    internal void RunPending(TrainingRun run)
    {
        while (true)
        {
            IPending? next;
            lock (gate)
            {
                if (!pending.TryDequeue(out next)) return;
            }

            next.Run(run);
        }
    }

    // The run has ended: what is still queued can no longer run.
    internal void Close()
    {
        IPending[] left;
        lock (gate)
        {
            if (closed) return;
            closed = true;
            left = [.. pending];
            pending.Clear();
        }

        foreach (var item in left) item.Fail(NotTraining());
    }

    private InvalidOperationException NotTraining() => new($"member {MemberId} is not training, so the command cannot run.");

    // Failures that leave the run as it was (every command checks before it changes anything,
    // or puts back what it changed): the command fails, training goes on.
    private static bool LeavesRunIntact(Exception e) =>
        e is ArgumentException or CheckpointException or IOException or InvalidOperationException;

    private interface IPending
    {
        void Run(TrainingRun run);

        void Fail(Exception error);
    }

    private sealed class Pending<T>(Func<TrainingRun, T> command) : IPending
    {
        private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => done.Task;

        public void Run(TrainingRun run)
        {
            T result;
            try
            {
                result = command(run);
            }
            catch (Exception e) when (Settle(e))
            {
                return;
            }

            done.TrySetResult(result);
        }

        public void Fail(Exception error) => done.TrySetException(error);

        // The filter hands every failure to the poster; only those that leave the run intact
        // are caught here, the rest go on up and end the run (its owner hears of it there too).
        private bool Settle(Exception e)
        {
            done.TrySetException(e);
            return LeavesRunIntact(e);
        }
    }
}
