namespace HyperSwarm.GpuActors.Models;

/// <summary>Normalisation inside DenseNet layers (config <c>norm: none | batch</c>).</summary>
public enum NormKind
{
    /// <summary>No normalisation: the Fixup-Dense recipe (ALGORITHMS §4.4) keeps it trainable.</summary>
    None,

    /// <summary>BatchNorm before every activation, as in the original DenseNet.</summary>
    Batch,
}
