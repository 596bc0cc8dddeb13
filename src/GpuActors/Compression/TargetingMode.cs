namespace HyperSwarm.GpuActors.Compression;

/// <summary>What targeted dropout and magnitude pruning take away (ALGORITHMS §6).</summary>
public enum TargetingMode
{
    /// <summary>Single weights: in every unit, the γ fraction of its weights with the smallest magnitude.</summary>
    Weight,

    /// <summary>Whole units (output channels, output features): the γ fraction of a layer's units with the smallest L2 norm.</summary>
    Unit,
}
