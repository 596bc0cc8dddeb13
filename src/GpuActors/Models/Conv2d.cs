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

    /// <summary>(B, in, H, W) → (B, out, H', W').</summary>
    public Tensor Forward(Tensor x) => Functional.Conv2d(x, Weight.Value, Bias?.Value, Stride, Padding);
}
