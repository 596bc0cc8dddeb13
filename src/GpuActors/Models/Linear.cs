using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>y = x·Wᵀ + b. Weight (out, in) starts U(±1/√in), PyTorch's default; optimizers may re-initialise.</summary>
public sealed class Linear : Module
{
    /// <summary>Creates a layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>.</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true, ParameterRole weightRole = ParameterRole.Weight)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var bound = 1 / Math.Sqrt(inFeatures);
        Weight = AddParameter("weight", Init.Uniform([outFeatures, inFeatures], bound), weightRole);
        Bias = bias ? AddParameter("bias", Init.Uniform([outFeatures], bound), ParameterRole.Bias) : null;
    }

    /// <summary>Input width.</summary>
    public long InFeatures { get; }

    /// <summary>Output width.</summary>
    public long OutFeatures { get; }

    /// <summary>(out, in).</summary>
    public Parameter Weight { get; }

    /// <summary>(out), or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// A 0/1 keep mask of the weight's shape that every forward pass multiplies the weight by
    /// (targeted dropout, pruning while fine-tuning), so masked weights get no gradient either;
    /// null for none. Owned by whoever set it, who clears it before freeing it.
    /// </summary>
    public Tensor? WeightMask { get; set; }

    /// <summary>The weight as the forward pass uses it: <see cref="Weight"/> times <see cref="WeightMask"/>, if any.</summary>
    public Tensor EffectiveWeight => WeightMask is null ? Weight.Value : Weight.Value * WeightMask;

    /// <summary>(…, in) → (…, out).</summary>
    public Tensor Forward(Tensor x)
    {
        // Unmasked (almost always), the call is exactly the plain op: no scope, no product.
        if (WeightMask is null) return Functional.Linear(x, Weight.Value, Bias?.Value);
        using var scope = TensorScope.Begin();
        return scope.Keep(Functional.Linear(x, Weight.Value * WeightMask, Bias?.Value));
    }
}
