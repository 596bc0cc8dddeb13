using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

#pragma warning disable CA2225 // named alternatives exist: Add, Sub, Mul, Div, Neg
public sealed partial class Tensor
{
    /// <summary>Elementwise sum (broadcasting).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => NotNull(a).Binary(BinaryOp.Add, b);

    /// <summary>Elementwise difference (broadcasting).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => NotNull(a).Binary(BinaryOp.Sub, b);

    /// <summary>Elementwise product (broadcasting).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => NotNull(a).Binary(BinaryOp.Mul, b);

    /// <summary>Elementwise quotient (broadcasting).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => NotNull(a).Binary(BinaryOp.Div, b);

    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => NotNull(a).Neg();

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double s) => NotNull(a).Scalar(BinaryOp.Add, s);

    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(double s, Tensor a) => NotNull(a).Scalar(BinaryOp.Add, s);

    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double s) => NotNull(a).Scalar(BinaryOp.Sub, s);

    /// <summary>A scalar minus each element.</summary>
    public static Tensor operator -(double s, Tensor a) => NotNull(a).Scalar(BinaryOp.RSub, s);

    /// <summary>Scales by a scalar.</summary>
    public static Tensor operator *(Tensor a, double s) => NotNull(a).Scalar(BinaryOp.Mul, s);

    /// <summary>Scales by a scalar.</summary>
    public static Tensor operator *(double s, Tensor a) => NotNull(a).Scalar(BinaryOp.Mul, s);

    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double s) => NotNull(a).Scalar(BinaryOp.Div, s);

    /// <summary>A scalar divided by each element.</summary>
    public static Tensor operator /(double s, Tensor a)
    {
        using var reciprocal = NotNull(a).Reciprocal();
        return reciprocal.Scalar(BinaryOp.Mul, s);
    }

    private static Tensor NotNull(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a;
    }
}
#pragma warning restore CA2225
