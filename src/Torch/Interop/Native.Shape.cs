using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_reshape(TensorHandle t, long* shape, long ndim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_view(TensorHandle t, long* shape, long ndim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_expand(TensorHandle t, long* shape, long ndim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_permute(TensorHandle t, long* dims, long ndims, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_transpose(TensorHandle t, long dim0, long dim1, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_flatten(TensorHandle t, long startDim, long endDim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_squeeze(TensorHandle t, int hasDim, long dim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_unsqueeze(TensorHandle t, long dim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_narrow(TensorHandle t, long dim, long start, long length, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_flip(TensorHandle t, long* dims, long ndims, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_cat(nint* tensors, long n, long dim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_stack(nint* tensors, long n, long dim, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_split(TensorHandle t, long splitSize, long dim, nint* outs, long cap, out long count);
    [LibraryImport(Lib)] internal static partial int hs_split_with_sizes(TensorHandle t, long* sizes, long n, long dim, nint* outs);
    [LibraryImport(Lib)] internal static partial int hs_index_select(TensorHandle t, long dim, TensorHandle index, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_gather(TensorHandle t, long dim, TensorHandle index, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_one_hot(TensorHandle labels, long numClasses, out nint result);
}
