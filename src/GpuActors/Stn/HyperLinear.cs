using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// A best-response linear layer (ALGORITHMS §1.2):
/// y = W_elem·x + b_elem + (V h) ⊙ (W_hyper·x) + (C h) ⊙ b_hyper, with V, C (out × n) one
/// bias-free map n → 2·out whose halves gate the hyper weights and hyper bias per output unit.
/// The gates start at zero, so the layer starts hyperparameter-agnostic.
/// </summary>
public sealed class HyperLinear : Module
{
    /// <summary>Creates a layer in → out responding to <paramref name="hyperparameters"/> values.</summary>
    public HyperLinear(long inFeatures, long outFeatures, int hyperparameters)
    {
        Elementary = AddModule("elem", new Linear(inFeatures, outFeatures));
        Hyper = AddModule("hyper", new Linear(inFeatures, outFeatures, weightRole: ParameterRole.HyperWeight));
        Gate = AddParameter("gate", Init.Zeros([2 * outFeatures, hyperparameters]), ParameterRole.HyperGate);
    }

    /// <summary>W_elem, b_elem.</summary>
    public Linear Elementary { get; }

    /// <summary>W_hyper, b_hyper.</summary>
    public Linear Hyper { get; }

    /// <summary>[V; C] (2·out, n).</summary>
    public Parameter Gate { get; }

    /// <summary>x (B, in), h (B, n) → (B, out).</summary>
    public Tensor Forward(Tensor x, Tensor h) =>
        Apply(x, h, Elementary.EffectiveWeight, Elementary.Bias!.Value, Hyper.EffectiveWeight, Hyper.Bias!.Value, Gate.Value);

    /// <summary>The layer's formula on explicit tensors (tests check it against finite differences).</summary>
    public static Tensor Apply(Tensor x, Tensor h, Tensor wElem, Tensor bElem, Tensor wHyper, Tensor bHyper, Tensor gate)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(wHyper);
        using var scope = TensorScope.Begin();
        var outFeatures = wHyper.Shape[0];
        var gates = Functional.Linear(h, gate);                                  // (B, 2·out)
        var weightGate = gates.Narrow(1, 0, outFeatures);                         // (B, out)
        var biasGate = gates.Narrow(1, outFeatures, outFeatures);                 // (B, out)
        var y = Functional.Linear(x, wElem, bElem)                                // (B, out)
              + weightGate * Functional.Linear(x, wHyper)
              + biasGate * bHyper;
        return scope.Keep(y);
    }
}
