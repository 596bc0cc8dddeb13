namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// A member's periodic report, as sent by <paramref name="WorkerId"/> under fencing
/// <paramref name="Epoch"/>. <paramref name="Hyperparameters"/> is null when the report carried none.
/// </summary>
public sealed record MemberReported(
    DateTimeOffset Now,
    string WorkerId,
    string MemberId,
    long Epoch,
    long Step,
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    HyperparameterSet? Hyperparameters) : PopulationInput(Now);
