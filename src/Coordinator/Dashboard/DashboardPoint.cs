namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>One point of a member's curves: its state at a step, as the dashboard sampled it.</summary>
public sealed record DashboardPoint(
    long Step,
    DateTimeOffset At,
    double? TrainLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    IReadOnlyDictionary<string, double> Hyperparameters);
