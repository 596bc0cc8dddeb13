using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_sum(TensorHandle t, long* dims, long ndims, int keepdim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_mean(TensorHandle t, long* dims, long ndims, int keepdim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_var(TensorHandle t, long* dims, long ndims, int unbiased, int keepdim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_norm(TensorHandle t, double p, long* dims, long ndims, int keepdim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_logsumexp(TensorHandle t, long* dims, long ndims, int keepdim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_max_all(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_min_all(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_max_dim(TensorHandle t, long dim, int keepdim, out nint values, out nint indices);
    [LibraryImport(Lib)] internal static partial int hs_argmax(TensorHandle t, int hasDim, long dim, int keepdim, out nint result);
}
