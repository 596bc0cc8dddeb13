using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_unary(int op, TensorHandle a, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_binary(int op, TensorHandle a, TensorHandle b, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_binary_scalar(int op, TensorHandle a, double b, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_add_alpha(TensorHandle a, TensorHandle b, double alpha, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_pow_scalar(TensorHandle a, double exponent, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_clamp(TensorHandle a, int hasMin, double min, int hasMax, double max, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_where(TensorHandle cond, TensorHandle a, TensorHandle b, out nint result);

    [LibraryImport(Lib)] internal static partial int hs_unary_(int op, TensorHandle t);
    [LibraryImport(Lib)] internal static partial int hs_binary_(int op, TensorHandle t, TensorHandle other);
    [LibraryImport(Lib)] internal static partial int hs_binary_scalar_(int op, TensorHandle t, double other);
    [LibraryImport(Lib)] internal static partial int hs_add_alpha_(TensorHandle t, TensorHandle other, double alpha);
    [LibraryImport(Lib)] internal static partial int hs_addcmul_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial int hs_addcdiv_(TensorHandle t, TensorHandle a, TensorHandle b, double value);
    [LibraryImport(Lib)] internal static partial int hs_lerp_(TensorHandle t, TensorHandle end, double weight);
    [LibraryImport(Lib)] internal static partial int hs_clamp_(TensorHandle t, int hasMin, double min, int hasMax, double max);
    [LibraryImport(Lib)] internal static partial int hs_copy_(TensorHandle t, TensorHandle src);
}
