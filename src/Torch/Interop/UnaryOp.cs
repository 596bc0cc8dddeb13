namespace HyperSwarm.Torch.Interop;

/// <summary>Mirrors <c>hs_unary_op</c>.</summary>
internal enum UnaryOp
{
    Neg = 0, Sqrt = 1, Rsqrt = 2, Exp = 3, Log = 4, Abs = 5, Sigmoid = 6, Tanh = 7, Relu = 8,
    Gelu = 9, Sign = 10, Floor = 11, Square = 12, Reciprocal = 13, Log1p = 14, Expm1 = 15,
    LogicalNot = 16, IsFinite = 17,
}
