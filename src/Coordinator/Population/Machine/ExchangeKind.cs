namespace HyperSwarm.Coordinator.Population;

/// <summary>What a weak member copies from a strong one (DESIGN.md §3 step 5).</summary>
public enum ExchangeKind
{
    /// <summary>λ, σ and the hyper-gate coefficients only; the weak member keeps its weights.</summary>
    Hyperparameters,

    /// <summary>The strong member's checkpoint (weights and all), then explore.</summary>
    Exploit,
}
