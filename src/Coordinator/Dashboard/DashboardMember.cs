namespace HyperSwarm.Coordinator.Dashboard;

/// <summary>
/// One row of the dashboard's member table. Losses and rates are null until known (and when not
/// finite: JSON has no NaN). <see cref="Hyperparameters"/> holds the values the model sees.
/// </summary>
public sealed record DashboardMember(
    string Id,
    string State,
    string? Worker,
    long Step,
    double? TrainLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double? ImagesPerSecond,
    string? Parent,
    IReadOnlyDictionary<string, double> Hyperparameters)
{
    /// <summary>A number JSON can carry: null for NaN and infinities.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
