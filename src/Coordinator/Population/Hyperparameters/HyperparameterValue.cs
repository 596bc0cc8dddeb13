using HyperSwarm.Protocol.Hyperparameters;
namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// One tuned hyperparameter of one member: its range, the value the model sees
/// (<see cref="Value"/>), the unconstrained λ̃ the worker's hyper-optimiser steps, and the
/// perturbation scale σ = softplus(s) with its raw s.
/// </summary>
public sealed record HyperparameterValue(
    string Name,
    HyperparameterKind Kind,
    double Lower,
    double Upper,
    double Value,
    double Unconstrained,
    double Sigma,
    double SigmaRaw)
{
    /// <summary>
    /// A copy holding <paramref name="value"/> (moved inside the legal range first) with λ̃
    /// recomputed, so the worker receives a consistent pair. σ and s are kept.
    /// </summary>
    public HyperparameterValue WithValue(double value)
    {
        var legal = HyperparameterTransform.Clamp(Kind, Lower, Upper, value);
        return this with { Value = legal, Unconstrained = HyperparameterTransform.Unconstrain(Kind, Lower, Upper, legal) };
    }

    /// <summary>Whether both ends of the range are finite, so a uniform prior exists to resample from.</summary>
    public bool IsTwoSided => Kind is HyperparameterKind.Bounded or HyperparameterKind.Discrete;
}
