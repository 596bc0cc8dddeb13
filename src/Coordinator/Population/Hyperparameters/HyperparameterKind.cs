namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// How a hyperparameter's unconstrained value λ̃ maps to the value the model sees; the same four
/// kinds as the wire enum (hyperparameters.proto) and the worker's STN space.
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
