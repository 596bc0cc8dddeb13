using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>Weight initialisers. Each returns a fresh tensor the caller owns.</summary>
public static class Init
{
    /// <summary>U(−bound, bound).</summary>
    public static Tensor Uniform(long[] shape, double bound)
    {
        var t = Torch.Torch.Empty(shape).Escape();
        t.UniformInPlace(-bound, bound);
        return t;
    }

    /// <summary>N(0, std²).</summary>
    public static Tensor Normal(long[] shape, double std)
    {
        var t = Torch.Torch.Empty(shape).Escape();
        t.NormalInPlace(0, std);
        return t;
    }

    /// <summary>All zeros (Fixup: last layer of a branch, classifier).</summary>
    public static Tensor Zeros(long[] shape) => Torch.Torch.Zeros(shape).Escape();

    /// <summary>All equal to <paramref name="value"/> (Fixup multipliers start at 1).</summary>
    public static Tensor Constant(long[] shape, double value) => Torch.Torch.Full(shape, value).Escape();
}
