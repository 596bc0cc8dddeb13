namespace HyperSwarm.Torch.Interop;

/// <summary>Mirrors <c>hs_binary_op</c>.</summary>
internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Maximum = 4, Minimum = 5, Pow = 6, Eq = 7, Ne = 8,
    Gt = 9, Lt = 10, Ge = 11, Le = 12, RSub = 13,
}
