namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Hyperparameter-only exchange: <paramref name="MemberId"/> takes <paramref name="SourceMemberId"/>'s
/// λ, σ and gate coefficients and keeps its own weights.
/// </summary>
public sealed record ExchangeHyperparameters(string MemberId, string WorkerId, string SourceMemberId, HyperparameterSet Hyperparameters)
    : PopulationCommand(MemberId, WorkerId)
{
    /// <summary>The event-log sequence of the decision, which a failure names (<see cref="ChangeFailed"/>).</summary>
    public long Decision { get; init; }
}
