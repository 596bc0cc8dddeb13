namespace HyperSwarm.GpuActors.Stn;

/// <summary>How an unconstrained value λ̃ maps to a legal hyperparameter value (ALGORITHMS §1.3).</summary>
public enum HyperparameterKind
{
    /// <summary>(a, b): λ = a + (b − a)·sigmoid(λ̃).</summary>
    Bounded,

    /// <summary>(a, ∞): λ = a + softplus(λ̃).</summary>
    Positive,

    /// <summary>Integers in [a, b]: bounded over (a, b + 1), then floored (so b is reachable).</summary>
    Discrete,
}
