using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed partial class Tensor
{
    /// <summary>Fills with draws from N(mean, std²), in place.</summary>
    public void NormalInPlace(double mean = 0, double std = 1) => Native.Check(Native.hs_normal_(Handle, mean, std), "hs_normal_");

    /// <summary>Fills with draws from U[low, high), in place.</summary>
    public void UniformInPlace(double low = 0, double high = 1) => Native.Check(Native.hs_uniform_(Handle, low, high), "hs_uniform_");

    /// <summary>Sets every element to zero, in place.</summary>
    public void ZeroInPlace() => Native.Check(Native.hs_zero_(Handle), "hs_zero_");

    /// <summary>Sets every element to <paramref name="value"/>, in place.</summary>
    public void FillInPlace(double value) => Native.Check(Native.hs_fill_(Handle, value), "hs_fill_");
}
