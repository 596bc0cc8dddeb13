using System.Collections.Immutable;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.GpuActors.Training;
using StnKind = HyperSwarm.GpuActors.Stn.HyperparameterKind;

namespace HyperSwarm.Cli.Run;

/// <summary>
/// The coordinator's search space (<see cref="PopulationOptions.Space"/>) for a run config: the
/// hyperparameters its members tune (<see cref="HyperparameterPlan"/>), with the same ranges,
/// starting values and σ₀. Taken from the trainer's own plan so that the values a StartMember
/// carries are exactly the ones the member's STN has; a mismatch would be refused by the worker.
/// </summary>
internal static class SearchSpace
{
    public static ImmutableArray<HyperparameterRange> For(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var plan = HyperparameterPlan.Resolve(config.Stn, config.Model.Kind, config.Compression.Enabled);
        return [.. plan.Tuned.Select(s => new HyperparameterRange(s.Name, Kind(s.Kind), s.Lower, s.Upper, s.Initial, s.InitialSigma))];
    }

    private static HyperparameterKind Kind(StnKind kind) => kind switch
    {
        StnKind.Bounded => HyperparameterKind.Bounded,
        StnKind.Positive => HyperparameterKind.LowerBounded,
        StnKind.Discrete => HyperparameterKind.Discrete,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hyperparameter kind."),
    };
}
