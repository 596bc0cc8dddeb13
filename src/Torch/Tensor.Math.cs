using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed partial class Tensor
{
    /// <summary>−x.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg);

    /// <summary>√x.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);

    /// <summary>1/√x.</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);

    /// <summary>ln x.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);

    /// <summary>|x|.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);

    /// <summary>1/(1+e⁻ˣ).</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);

    /// <summary>tanh x.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);

    /// <summary>GELU (exact, erf form).</summary>
    public Tensor Gelu() => Unary(UnaryOp.Gelu);

    /// <summary>sign(x) ∈ {−1, 0, 1}.</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);

    /// <summary>⌊x⌋.</summary>
    public Tensor Floor() => Unary(UnaryOp.Floor);

    /// <summary>x².</summary>
    public Tensor Square() => Unary(UnaryOp.Square);

    /// <summary>1/x.</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);

    /// <summary>ln(1+x), accurate near 0.</summary>
    public Tensor Log1p() => Unary(UnaryOp.Log1p);

    /// <summary>eˣ−1, accurate near 0.</summary>
    public Tensor Expm1() => Unary(UnaryOp.Expm1);

    /// <summary>Elementwise not (bool result).</summary>
    public Tensor LogicalNot() => Unary(UnaryOp.LogicalNot);

    /// <summary>True where the element is neither NaN nor ±Inf.</summary>
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);

    /// <summary>this + alpha·other.</summary>
    public Tensor Add(Tensor other, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(Native.hs_add_alpha(Handle, other.Handle, alpha, out var r), r, "hs_add_alpha");
    }

    /// <summary>this − other.</summary>
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);

    /// <summary>this · other (broadcasting).</summary>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);

    /// <summary>this / other (broadcasting).</summary>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);

    /// <summary>Elementwise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);

    /// <summary>Elementwise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);

    /// <summary>this ^ exponent, elementwise.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);

    /// <summary>this ^ exponent.</summary>
    public Tensor Pow(double exponent) => Wrap(Native.hs_pow_scalar(Handle, exponent, out var r), r, "hs_pow_scalar");

    /// <summary>Elementwise comparisons (bool results).</summary>
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);

    /// <inheritdoc cref="Eq(Tensor)"/>
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);

    /// <inheritdoc cref="Eq(Tensor)"/>
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);

    /// <inheritdoc cref="Eq(Tensor)"/>
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);

    /// <inheritdoc cref="Eq(Tensor)"/>
    public Tensor Ge(Tensor other) => Binary(BinaryOp.Ge, other);

    /// <inheritdoc cref="Eq(Tensor)"/>
    public Tensor Le(Tensor other) => Binary(BinaryOp.Le, other);

    /// <summary>Comparisons with a scalar (bool results).</summary>
    public Tensor Eq(double other) => Scalar(BinaryOp.Eq, other);

    /// <inheritdoc cref="Eq(double)"/>
    public Tensor Ne(double other) => Scalar(BinaryOp.Ne, other);

    /// <inheritdoc cref="Eq(double)"/>
    public Tensor Gt(double other) => Scalar(BinaryOp.Gt, other);

    /// <inheritdoc cref="Eq(double)"/>
    public Tensor Lt(double other) => Scalar(BinaryOp.Lt, other);

    /// <inheritdoc cref="Eq(double)"/>
    public Tensor Ge(double other) => Scalar(BinaryOp.Ge, other);

    /// <inheritdoc cref="Eq(double)"/>
    public Tensor Le(double other) => Scalar(BinaryOp.Le, other);

    /// <summary>max(this, s) and min(this, s) elementwise.</summary>
    public Tensor Maximum(double s) => Scalar(BinaryOp.Maximum, s);

    /// <inheritdoc cref="Maximum(double)"/>
    public Tensor Minimum(double s) => Scalar(BinaryOp.Minimum, s);

    /// <summary>Limits every element to [min, max]; a null bound is open.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(Native.hs_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, out var r), r, "hs_clamp");

    /// <summary>Picks from <paramref name="a"/> where <paramref name="condition"/> holds, else from <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Wrap(Native.hs_where(condition.Handle, a.Handle, b.Handle, out var r), r, "hs_where");
    }

    private Tensor Unary(UnaryOp op) => Wrap(Native.hs_unary((int)op, Handle, out var r), r, "hs_unary");

    private Tensor Binary(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(Native.hs_binary((int)op, Handle, other.Handle, out var r), r, "hs_binary");
    }

    private Tensor Scalar(BinaryOp op, double other) =>
        Wrap(Native.hs_binary_scalar((int)op, Handle, other, out var r), r, "hs_binary_scalar");
}
