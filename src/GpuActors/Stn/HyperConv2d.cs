using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// A best-response convolution (ALGORITHMS §1.2), gated per output channel:
/// y[:, c] = conv(x, W_elem)[:, c] + b_elem[c] + (V h)_c·conv(x, W_hyper)[:, c] + (C h)_c·b_hyper[c].
/// Gates start at zero. Without biases (DenseNet convs) only the V half of the gate exists.
/// </summary>
public sealed class HyperConv2d : Module
{
    /// <summary>Creates a k×k convolution responding to <paramref name="hyperparameters"/> values.</summary>
    public HyperConv2d(long inChannels, long outChannels, int kernel, int hyperparameters, int stride = 1, int padding = 0, bool bias = true)
    {
        Elementary = AddModule("elem", new Conv2d(inChannels, outChannels, kernel, stride, padding, bias));
        Hyper = AddModule("hyper", new Conv2d(inChannels, outChannels, kernel, stride, padding, bias, ParameterRole.HyperWeight));
        Gate = AddParameter("gate", Init.Zeros([(bias ? 2 : 1) * outChannels, hyperparameters]), ParameterRole.HyperGate);
    }

    /// <summary>W_elem, b_elem.</summary>
    public Conv2d Elementary { get; }

    /// <summary>W_hyper, b_hyper.</summary>
    public Conv2d Hyper { get; }

    /// <summary>[V; C] (2·C_out, n), or V (C_out, n) without biases.</summary>
    public Parameter Gate { get; }

    /// <summary>x (B, C_in, H, W), h (B, n) → (B, C_out, H', W').</summary>
    public Tensor Forward(Tensor x, Tensor h) =>
        Apply(x, h, Elementary.EffectiveWeight, Elementary.Bias?.Value, Hyper.EffectiveWeight, Hyper.Bias?.Value, Gate.Value, Elementary.Stride, Elementary.Padding);

    /// <summary>The layer's formula on explicit tensors (tests check it against finite differences).</summary>
    public static Tensor Apply(Tensor x, Tensor h, Tensor wElem, Tensor? bElem, Tensor wHyper, Tensor? bHyper, Tensor gate, int stride = 1, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(wHyper);
        using var scope = TensorScope.Begin();
        var outChannels = wHyper.Shape[0];
        var batch = x.Shape[0];
        var gates = Functional.Linear(h, gate);                                               // (B, 2·C) or (B, C)
        var weightGate = gates.Narrow(1, 0, outChannels).Reshape(batch, outChannels, 1, 1);     // (B, C, 1, 1)
        var y = Functional.Conv2d(x, wElem, bElem, stride, padding)                         // (B, C, H', W')
              + weightGate * Functional.Conv2d(x, wHyper, null, stride, padding);
        if (bHyper is not null)
        {
            var biasGate = gates.Narrow(1, outChannels, outChannels).Reshape(batch, outChannels, 1, 1);
            y = y + biasGate * bHyper.View(1, outChannels, 1, 1);
        }

        return scope.Keep(y);
    }
}
