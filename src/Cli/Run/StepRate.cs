using System.Diagnostics;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.Cli.Run;

/// <summary>
/// Measures how fast one member of a run config trains here, before the population starts:
/// the embedded run turns its budget into steps with it (<see cref="RunPlan"/>). A short real
/// training run on the member's threads, timed after a few warm-up steps (allocations, first
/// batches), weight and hyper steps alike, as a member interleaves them.
/// </summary>
internal static class StepRate
{
    private const int WarmupSteps = 5;
    private const int MeasuredSteps = 40;
    private static readonly TimeSpan MostTime = TimeSpan.FromSeconds(4);

    /// <summary>Weight steps per second of one member of <paramref name="config"/> on <paramref name="threads"/> threads.</summary>
    public static Task<double> MeasureAsync(TrainConfig config, int threads, CancellationToken cancellationToken) =>
        TorchThread.RunAsync(threads, () =>
        {
            var clock = new Stopwatch();
            long measured = 0;
            TrainingRun? run = null;
            var observer = new TrainingObserver
            {
                Step = (step, hyper, _) =>
                {
                    if (hyper) return;
                    if (step == WarmupSteps) clock.Start();
                    if (step > WarmupSteps) measured = step - WarmupSteps;
                    if (measured >= MeasuredSteps || clock.Elapsed >= MostTime) run!.Stop();
                },
            };
            // No directory: nothing is written. The observer stops it well before this limit.
            var probe = config with { Budget = null, Epochs = null, MaxSteps = 100_000 };
            try
            {
                using (run = new TrainingRun(probe, null, observer))
                {
                    run.Run(cancellationToken); // Stop() ends it as an owner would: suspended, not tested
                }
            }
            catch (DataFormatException e)
            {
                throw new UserError(e.Message);
            }
            catch (ArgumentException e)
            {
                throw new UserError(e.Message);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return measured > 0 ? measured / clock.Elapsed.TotalSeconds : throw new IOException("the trainer stopped before its speed could be measured.");
        });
}
