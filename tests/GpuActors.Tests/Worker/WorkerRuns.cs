using System.Threading.Channels;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>Member configs and event helpers shared by the worker tests.</summary>
internal static class WorkerRuns
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A tiny self-tuning member whose warm-up never ends: no hyper steps, so λ̃ and s stay
    /// exactly where they are put; no periodic checkpoints, so those announced are those asked for.
    /// </summary>
    public static TrainConfig Frozen(string dataPath, long maxSteps = 100_000, string optimizer = "agd", double? learningRate = null) =>
        TinyRuns.Config(dataPath, optimizer: optimizer, maxSteps: maxSteps) with
        {
            Optimizer = new OptimizerConfig { Kind = optimizer, LearningRate = learningRate },
            Stn = new StnConfig { WarmupSteps = 1_000_000, TrainSteps = 2, ValSteps = 1 },
            Reporting = new ReportingConfig { LogEverySteps = 5, CheckpointEverySteps = 100_000 },
        };

    /// <summary>The next event of type <typeparamref name="T"/> that matches; others are skipped.</summary>
    public static async Task<T> NextAsync<T>(ChannelReader<MemberEvent> events, Func<T, bool>? match = null)
        where T : MemberEvent
    {
        while (true)
        {
            var e = await events.ReadAsync().AsTask().WaitAsync(Patience);
            if (e is T wanted && (match is null || match(wanted))) return wanted;
        }
    }

    /// <summary>Every event up to and including the member's <see cref="MemberEvent.Ended"/>.</summary>
    public static Task<List<MemberEvent>> UntilEndedAsync(ChannelReader<MemberEvent> events) => UntilAsync(events, e => e is MemberEvent.Ended);

    /// <summary>Every event up to and including the first that matches <paramref name="last"/>.</summary>
    public static async Task<List<MemberEvent>> UntilAsync(ChannelReader<MemberEvent> events, Func<MemberEvent, bool> last)
    {
        var seen = new List<MemberEvent>();
        while (seen.Count == 0 || !last(seen[^1])) seen.Add(await events.ReadAsync().AsTask().WaitAsync(Patience));
        return seen;
    }

    /// <summary>λ̃ of hyperparameter <paramref name="index"/> as a checkpoint file holds it.</summary>
    public static float Lambda(string checkpointPath, int index = 0) =>
        CheckpointReader.Read(checkpointPath)[CheckpointSections.Hyper + "lambda"].AsSpan<float>()[index];
}
