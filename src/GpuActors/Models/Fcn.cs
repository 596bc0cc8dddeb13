using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>
/// A fully connected net for tests and AGD checks (ALGORITHMS §2.3): <c>depth</c> linear
/// layers <c>layer0</c>…, inputs → width → … → width → classes, with ReLU(x)·√2 between
/// layers (the √2 keeps the second moment of a ReLU layer's output equal to its input's
/// under AGD's orthogonal init). PyTorch-default init until an optimizer re-initialises it.
/// </summary>
public sealed class Fcn : Module
{
    private static readonly double Sqrt2 = Math.Sqrt(2);
    private readonly Linear[] layers;

    /// <summary>Creates the net; <paramref name="depth"/> counts the linear layers (at least 2).</summary>
    public Fcn(long inputs, long width, int depth, long classes, bool bias = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 2);
        layers = new Linear[depth];
        for (var k = 0; k < depth; k++)
        {
            var fanIn = k == 0 ? inputs : width;
            var fanOut = k == depth - 1 ? classes : width;
            layers[k] = AddModule($"layer{k}", new Linear(fanIn, fanOut, bias));
        }
    }

    /// <summary>The linear layers, input first.</summary>
    public IReadOnlyList<Linear> Layers => layers;

    /// <summary>(B, …) → logits (B, classes); the input is flattened after the batch axis.</summary>
    public Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var h = x.Flatten(1); // (B, inputs)
        for (var k = 0; k < layers.Length - 1; k++)
        {
            h = layers[k].Forward(h).Relu() * Sqrt2; // (B, width)
        }

        return layers[^1].Forward(h); // (B, classes)
    }
}
