using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>Fixup's scalar multiplier (ALGORITHMS §4.1 rule 3) on a branch's output; starts at 1 (or a chosen gain).</summary>
public sealed class ScalarScale : Module
{
    /// <summary>Creates a multiplier at <paramref name="initial"/>.</summary>
    public ScalarScale(double initial = 1.0) => Value = AddParameter("scale", Init.Constant([1], initial), ParameterRole.Scalar);

    /// <summary>(1).</summary>
    public Parameter Value { get; }

    /// <summary>x · s (any shape).</summary>
    public Tensor Forward(Tensor x) => x * Value.Value;
}
