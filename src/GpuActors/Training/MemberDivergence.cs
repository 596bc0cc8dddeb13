using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// A loss went NaN or infinite at weight step <paramref name="Step"/>; the run restored the
/// learned state of its last checkpoint (step <paramref name="RestoredStep"/>) and trains on.
/// The owner should have the member re-explored (DESIGN.md §5), not trust its λ.
/// </summary>
/// <param name="Step">The weight step whose loss was not finite.</param>
/// <param name="Loss">That loss.</param>
/// <param name="RestoredStep">The checkpoint whose weights, λ̃ and optimizer state were put back.</param>
/// <param name="Recovery">Which recovery this was (the run gives up after three).</param>
/// <param name="Hyperparameters">The restored hyperparameter state.</param>
public sealed record MemberDivergence(long Step, double Loss, long RestoredStep, int Recovery, HyperparameterState Hyperparameters);
