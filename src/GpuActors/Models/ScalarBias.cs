using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>Fixup's scalar bias (ALGORITHMS §4.1 rule 3): one learnable number added before a conv, linear or activation; starts at 0.</summary>
public sealed class ScalarBias : Module
{
    /// <summary>Creates a bias at 0.</summary>
    public ScalarBias() => Value = AddParameter("bias", Init.Zeros([1]), ParameterRole.Scalar);

    /// <summary>(1).</summary>
    public Parameter Value { get; }

    /// <summary>x + b (any shape).</summary>
    public Tensor Forward(Tensor x) => x + Value.Value;
}
