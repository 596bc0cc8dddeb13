using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_empty(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_zeros(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_ones(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_full(long* shape, long ndim, double value, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_rand(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_randn(long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_randint(long low, long high, long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_randperm(long n, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_rand_like(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_bernoulli(TensorHandle probs, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_normal_(TensorHandle t, double mean, double std);
    [LibraryImport(Lib)] internal static partial int hs_uniform_(TensorHandle t, double low, double high);
    [LibraryImport(Lib)] internal static partial int hs_zero_(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int hs_fill_(TensorHandle t, double value);
}
