using System.Collections.Immutable;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.GpuActors.Training;

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
        // One vocabulary (Protocol.Hyperparameters): the kinds carry over as they are.
        return [.. plan.Tuned.Select(s => new HyperparameterRange(s.Name, s.Kind, s.Lower, s.Upper, s.Initial, s.InitialSigma))];
    }
}
