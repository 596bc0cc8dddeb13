using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>2-D convolution. Kernel (out, in, k, k) starts U(±1/√(in·k²)), PyTorch's default.</summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates a k×k convolution.</summary>
    public Conv2d(long inChannels, long outChannels, int kernel, int stride = 1, int padding = 0, bool bias = true,
        ParameterRole weightRole = ParameterRole.Weight)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        var bound = 1 / Math.Sqrt(inChannels * kernel * kernel);
        Weight = AddParameter("weight", Init.Uniform([outChannels, inChannels, kernel, kernel], bound), weightRole);
        Bias = bias ? AddParameter("bias", Init.Uniform([outChannels], bound), ParameterRole.Bias) : null;
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Kernel size (square).</summary>
    public int Kernel { get; }

    /// <summary>Stride (both axes).</summary>
    public int Stride { get; }

    /// <summary>Zero padding (both axes).</summary>
    public int Padding { get; }

    /// <summary>(out, in, k, k).</summary>
    public Parameter Weight { get; }

    /// <summary>(out), or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// A 0/1 keep mask of the kernel's shape that every forward pass multiplies the kernel by
    /// (targeted dropout, pruning while fine-tuning), so masked weights get no gradient either;
    /// null for none. Owned by whoever set it, who clears it before freeing it.
    /// </summary>
    public Tensor? WeightMask { get; set; }

    /// <summary>The kernel as the forward pass uses it: <see cref="Weight"/> times <see cref="WeightMask"/>, if any.</summary>
    public Tensor EffectiveWeight => WeightMask is null ? Weight.Value : Weight.Value * WeightMask;

    /// <summary>(B, in, H, W) → (B, out, H', W').</summary>
    public Tensor Forward(Tensor x)
    {
        // Unmasked (almost always), the call is exactly the plain op: no scope, no product.
        if (WeightMask is null) return Functional.Conv2d(x, Weight.Value, Bias?.Value, Stride, Padding);
        using var scope = TensorScope.Begin();
        return scope.Keep(Functional.Conv2d(x, Weight.Value * WeightMask, Bias?.Value, Stride, Padding));
    }
}
