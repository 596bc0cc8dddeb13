namespace HyperSwarm.Protocol.Hyperparameters;

/// <summary>
/// How a hyperparameter's unconstrained value λ̃ maps to the value the model sees (ALGORITHMS.md
/// §1.3): one vocabulary for the coordinator's search space and the workers' STN, the same four
/// kinds as the wire enum (hyperparameters.proto).
/// </summary>
public enum HyperparameterKind
{
    /// <summary>(a, b): λ = a + (b − a)·sigmoid(λ̃).</summary>
    Bounded,

    /// <summary>(a, ∞): λ = a + softplus(λ̃).</summary>
    LowerBounded,

    /// <summary>(−∞, b): λ = b − softplus(λ̃).</summary>
    UpperBounded,

    /// <summary>Integers in [a, b]: the bounded map over (a, b + 1), floored.</summary>
    Discrete,
}
