using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;
using HyperSwarm.Protocol.Threading;

namespace HyperSwarm.Bench.Scaling;

/// <summary>
/// One worker's member slot for the scaling benchmark: a real <see cref="TrainingRun"/> (data
/// loaders, STN schedule, AGD) on a torch thread of its own with its own libtorch thread
/// count, as a <see cref="MemberActor"/> runs it, but paced by a <see cref="StepGate"/>.
/// </summary>
internal sealed class GatedMember : IAsyncDisposable
{
    private readonly DedicatedThreadScheduler thread;
    private readonly TrainingRun run;
    private readonly StepGate gate;
    private readonly Task<TrainingResult> training;

    private GatedMember(DedicatedThreadScheduler thread, TrainingRun run, StepGate gate, Task<TrainingResult> training)
    {
        this.thread = thread;
        this.run = run;
        this.gate = gate;
        this.training = training;
    }

    /// <summary>Builds the run on a fresh torch thread and starts it; it trains only as far as <see cref="StepsAsync"/> lets it.</summary>
    public static async Task<GatedMember> StartAsync(TrainConfig config, int torchThreads, string name)
    {
        var thread = await TorchThread.StartAsync(torchThreads, name).ConfigureAwait(false);
        var gate = new StepGate();
        var observer = new TrainingObserver
        {
            Step = (_, hyper, _) =>
            {
                if (!hyper) gate.AfterWeightStep();
            },
        };
        var run = await thread.InvokeAsync(() => new TrainingRun(config, directory: null, observer)).ConfigureAwait(false);
        var training = thread.InvokeAsync(() => run.Run());
        return new GatedMember(thread, run, gate, training);
    }

    /// <summary>
    /// Lets the member take <paramref name="steps"/> weight steps; completes, when it has, with
    /// the <see cref="System.Diagnostics.Stopwatch"/> timestamp at which each one finished.
    /// </summary>
    public async Task<long[]> StepsAsync(int steps)
    {
        var taken = gate.OpenAsync(steps);
        if (await Task.WhenAny(taken, training).ConfigureAwait(false) == training)
        {
            await training.ConfigureAwait(false); // surfaces the failure
            throw new InvalidOperationException("the member's run ended before its steps were taken.");
        }

        return await taken.ConfigureAwait(false);
    }

    /// <summary>Stops the run after its current step, then frees it on its own thread.</summary>
    public async ValueTask DisposeAsync()
    {
        run.Stop();
        gate.Release();
        await ((Task)training).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await thread.InvokeAsync(() =>
        {
            run.Dispose();
            return true;
        }).ConfigureAwait(false);
        thread.Dispose();
    }
}
