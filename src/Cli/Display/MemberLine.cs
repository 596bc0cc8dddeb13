using System.Globalization;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.Cli.Display;

/// <summary>What the worker display knows of one member, from its events: the latest figures of one line.</summary>
internal sealed class MemberLine(string memberId)
{
    public string MemberId { get; } = memberId;

    public string State { get; private set; } = "starting";

    public long Step { get; private set; }

    public double TrainLoss { get; private set; } = double.NaN;

    public double ValidationAccuracy { get; private set; } = double.NaN;

    public double ImagesPerSecond { get; private set; } = double.NaN;

    /// <summary>Tuned hyperparameters, by name, in the order the member reports them.</summary>
    public IReadOnlyList<(string Name, double Value)> Hyperparameters { get; private set; } = [];

    /// <summary>Takes in one event of this member; returns whether it carried new figures (a report).</summary>
    public bool Apply(MemberEvent e)
    {
        switch (e)
        {
            case MemberEvent.Started started:
                State = "training";
                Step = started.Step;
                return false;
            case MemberEvent.Reported { Report: var report }:
                Step = report.Step;
                TrainLoss = report.TrainLoss;
                ValidationAccuracy = report.ValidationAccuracy;
                ImagesPerSecond = report.ExamplesPerSecond;
                Hyperparameters = report.Hyperparameters?.Hyperparameters.Select(h => (h.Name, h.Constrained)).ToList() ?? [];
                return true;
            case MemberEvent.Diverged diverged:
                Step = diverged.Divergence.RestoredStep;
                State = "restored";
                return false;
            case MemberEvent.Ended ended:
                State = ended.Error is not null ? "failed" : ended.Result?.StoppedBy ?? "stopped";
                if (ended.Result is { } result) Step = result.WeightSteps;
                return false;
            default:
                return false;
        }
    }

    /// <summary>One plain line: <c>m03 step 1200 loss 0.4123 val-acc 88.12 % 1234 img/s drop.input=0.051 …</c>.</summary>
    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"{MemberId} step {Step} loss {Number(TrainLoss)} val-acc {Percent(ValidationAccuracy)} {Rate(ImagesPerSecond)} img/s {HyperparameterText()}").TrimEnd();

    /// <summary>The hyperparameters as <c>name=value</c> pairs.</summary>
    public string HyperparameterText() =>
        string.Join(" ", Hyperparameters.Select(h => string.Create(CultureInfo.InvariantCulture, $"{TrainingDisplay.Short(h.Name)}={h.Value:G3}")));

    public static string Number(double value) => double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "–";

    public static string Percent(double value) => double.IsFinite(value) ? value.ToString("P2", CultureInfo.InvariantCulture) : "–";

    public static string Rate(double value) => double.IsFinite(value) ? value.ToString("F0", CultureInfo.InvariantCulture) : "–";
}
