namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// What a parameter is for: optimizers (AGD treats matrices and conv kernels differently from
/// scalars) and export (pruning targets weights only) decide by role, not by name.
/// </summary>
public enum ParameterRole
{
    /// <summary>A linear matrix (out, in) or conv kernel (out, in, kh, kw).</summary>
    Weight,

    /// <summary>A per-unit bias vector.</summary>
    Bias,

    /// <summary>A Fixup scalar bias or multiplier (shape [1]).</summary>
    Scalar,

    /// <summary>MPELU's per-channel α.</summary>
    MpeluAlpha,

    /// <summary>MPELU's per-channel β.</summary>
    MpeluBeta,

    /// <summary>
    /// The hyper weight W_hyper of an STN hyper layer (a matrix or conv kernel): a branch in
    /// parallel with the layer's elementary weight, not a layer of its own.
    /// </summary>
    HyperWeight,

    /// <summary>STN hyper-gate coefficients (V, C of a hyper layer).</summary>
    HyperGate,

    /// <summary>BatchNorm affine scale or shift.</summary>
    NormAffine,
}
