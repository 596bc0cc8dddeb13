using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

// In-place updates, for optimizers: they allocate no new tensor. Autograd forbids them on
// leaves that require grad unless grad mode is off (use NoGrad.Enter()).
public sealed partial class Tensor
{
    /// <summary>this += alpha·other.</summary>
    public void AddInPlace(Tensor other, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        Native.Check(Native.hs_add_alpha_(Handle, other.Handle, alpha), "hs_add_alpha_");
    }

    /// <summary>this += s.</summary>
    public void AddInPlace(double s) => ScalarInPlace(BinaryOp.Add, s);

    /// <summary>this −= other.</summary>
    public void SubInPlace(Tensor other) => BinaryInPlace(BinaryOp.Sub, other);

    /// <summary>this *= other.</summary>
    public void MulInPlace(Tensor other) => BinaryInPlace(BinaryOp.Mul, other);

    /// <summary>this *= s.</summary>
    public void MulInPlace(double s) => ScalarInPlace(BinaryOp.Mul, s);

    /// <summary>this /= other.</summary>
    public void DivInPlace(Tensor other) => BinaryInPlace(BinaryOp.Div, other);

    /// <summary>this /= s.</summary>
    public void DivInPlace(double s) => ScalarInPlace(BinaryOp.Div, s);

    /// <summary>this = √this.</summary>
    public void SqrtInPlace() => Native.Check(Native.hs_unary_((int)UnaryOp.Sqrt, Handle), "hs_unary_");

    /// <summary>this = max(this, 0).</summary>
    public void ReluInPlace() => Native.Check(Native.hs_relu_(Handle), "hs_relu_");

    /// <summary>this += value · a · b.</summary>
    public void AddcmulInPlace(Tensor a, Tensor b, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Native.Check(Native.hs_addcmul_(Handle, a.Handle, b.Handle, value), "hs_addcmul_");
    }

    /// <summary>this += value · a / b.</summary>
    public void AddcdivInPlace(Tensor a, Tensor b, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Native.Check(Native.hs_addcdiv_(Handle, a.Handle, b.Handle, value), "hs_addcdiv_");
    }

    /// <summary>this += weight · (end − this).</summary>
    public void LerpInPlace(Tensor end, double weight)
    {
        ArgumentNullException.ThrowIfNull(end);
        Native.Check(Native.hs_lerp_(Handle, end.Handle, weight), "hs_lerp_");
    }

    /// <summary>Limits every element to [min, max] in place.</summary>
    public void ClampInPlace(double? min = null, double? max = null) =>
        Native.Check(Native.hs_clamp_(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0), "hs_clamp_");

    /// <summary>Copies <paramref name="source"/>'s values into this tensor (broadcasting, any device).</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Native.Check(Native.hs_copy_(Handle, source.Handle), "hs_copy_");
    }

    private void BinaryInPlace(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Native.Check(Native.hs_binary_((int)op, Handle, other.Handle), "hs_binary_");
    }

    private void ScalarInPlace(BinaryOp op, double s) =>
        Native.Check(Native.hs_binary_scalar_((int)op, Handle, s), "hs_binary_scalar_");
}
