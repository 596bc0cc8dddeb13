using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// One tensor an optimizer updates: its name (the key of its state entries), the tensor
/// itself (owned elsewhere: by a module's <see cref="Parameter"/> or by the hyperparameter
/// space), and its role when it came from a module (null for plain tensors such as the STN's
/// λ̃ and s, which are not <see cref="Parameter"/>s).
/// </summary>
public readonly record struct OptimizedTensor(string Name, Tensor Value, ParameterRole? Role)
{
    /// <summary>The module parameters, e.g. from <see cref="Module.NamedParameters"/>, with their roles.</summary>
    public static IReadOnlyList<OptimizedTensor> FromParameters(IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.Select(p => new OptimizedTensor(p.Name, p.Parameter.Value, p.Parameter.Role)).ToArray();
    }

    /// <summary>Plain named tensors (role null), normally leaves that require grad; one without a gradient is skipped by a step.</summary>
    public static IReadOnlyList<OptimizedTensor> FromTensors(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        return tensors.Select(t => new OptimizedTensor(t.Name, t.Tensor, null)).ToArray();
    }
}
