using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// A trainable tensor with its role. The tensor requires grad, lives outside any
/// <see cref="TensorScope"/>, and is disposed with its module.
/// </summary>
public sealed class Parameter : IDisposable
{
    internal Parameter(Tensor value, ParameterRole role)
    {
        Value = value.Escape();
        Value.RequiresGrad = true;
        Role = role;
    }

    /// <summary>The tensor (owned by this parameter).</summary>
    public Tensor Value { get; }

    /// <summary>What the parameter is for.</summary>
    public ParameterRole Role { get; }

    /// <summary>The shape of <see cref="Value"/>.</summary>
    public long[] Shape => Value.Shape;

    /// <summary>Frees the tensor.</summary>
    public void Dispose() => Value.Dispose();
}
