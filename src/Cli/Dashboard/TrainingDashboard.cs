using System.Globalization;
using HyperSwarm.Coordinator.Dashboard;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Dashboard;

/// <summary>
/// <c>hyperswarm train</c> on the dashboard, as a population of one (member <see cref="MemberId"/>
/// on worker <c>local</c>): every progress report the display gets also updates the member, and
/// evaluations and notices become events.
/// </summary>
internal sealed class TrainingDashboard(SingleRunDashboardSource source)
{
    /// <summary>The single member's id, as a population's first member is named.</summary>
    public const string MemberId = "m00";

    private Evaluation? _validation;

    /// <summary>The source to attach to the dashboard server, for a run on <paramref name="device"/>.</summary>
    public static SingleRunDashboardSource Source(string run, string device) =>
        new(run, new DashboardWorker("local", "up", null, [device], 1, null));

    /// <summary><paramref name="display"/>'s callbacks, each also feeding the dashboard.</summary>
    public TrainingObserver Wrap(TrainingObserver display) => new()
    {
        Progress = p =>
        {
            display.Progress?.Invoke(p);
            if (p.Validation is { } v) _validation = v;
            source.Update(Member(p, _validation));
        },
        Step = display.Step,
        Evaluated = (split, e) =>
        {
            display.Evaluated?.Invoke(split, e);
            if (split == "validation") _validation = e;
            source.Notice(split, string.Create(CultureInfo.InvariantCulture, $"accuracy {e.Accuracy:P2}, loss {e.Loss:F4} ({e.Examples} images)"));
        },
        Notice = n =>
        {
            display.Notice?.Invoke(n);
            source.Notice("notice", n);
        },
        Decoding = display.Decoding,
    };

    private static DashboardMember Member(TrainingProgress p, Evaluation? validation) => new(
        MemberId,
        p.Phase,
        "local",
        p.WeightSteps,
        DashboardMember.Finite(p.TrainLoss),
        validation is { } v ? DashboardMember.Finite(v.Loss) : null,
        validation is { } a ? DashboardMember.Finite(a.Accuracy) : null,
        DashboardMember.Finite(p.ImagesPerSecond),
        null,
        // The tuned ones: fixed settings do not move, and the population shows only what it tunes.
        p.Hyperparameters.Where(h => p.Tuned.Contains(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal));
}
