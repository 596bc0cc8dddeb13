using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>
/// Copies of parameter values on the host, so a test can step an optimizer, measure what moved,
/// and step again from the same weights and gradients.
/// </summary>
internal static class ParameterSnapshot
{
    /// <summary>Every parameter's values, in order.</summary>
    public static List<float[]> Values(List<(string Name, Parameter Parameter)> parameters) =>
        parameters.Select(p => p.Parameter.Value.ToArray<float>()).ToList();

    /// <summary>after − before, element by element, in double precision.</summary>
    public static List<double[]> Deltas(List<float[]> after, List<float[]> before) =>
        after.Zip(before, (a, b) => a.Zip(b, (x, y) => (double)x - y).ToArray()).ToList();

    /// <summary>Puts the weights back to <paramref name="values"/> and the gradients back to <paramref name="grads"/>.</summary>
    public static void Restore(List<(string Name, Parameter Parameter)> parameters, List<float[]> values, List<float[]> grads)
    {
        for (var k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k].Parameter;
            using var value = Tensor.FromArray<float>(values[k], p.Shape);
            using var grad = Tensor.FromArray<float>(grads[k], p.Shape);
            using (NoGrad.Enter()) p.Value.CopyFrom(value);
            p.Value.SetGrad(grad);
        }
    }
}
