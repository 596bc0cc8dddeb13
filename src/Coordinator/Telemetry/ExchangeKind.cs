namespace HyperSwarm.Coordinator.Telemetry;

/// <summary>The two ways a weak member learns from a strong one (DESIGN.md §3 step 5).</summary>
public enum ExchangeKind
{
    /// <summary>Only λ, σ and the hyper-gates are copied; the weak member keeps its weights.</summary>
    Hyperparameters,
    /// <summary>The weak member loads the strong member's checkpoint, then explores.</summary>
    Exploit,
}
