using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    // hs_tensor_free takes the raw pointer: it is called from TensorHandle.ReleaseHandle.
    [LibraryImport(Lib)] internal static partial int hs_tensor_free(nint t);
    [LibraryImport(Lib)] internal static partial int hs_tensor_alias(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_tensor_clone(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_tensor_detach(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_tensor_contiguous(TensorHandle t, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_tensor_to(TensorHandle t, int deviceType, int deviceIndex, int dtype, int nonBlocking, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_tensor_set_data(TensorHandle t, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int hs_tensor_dim(TensorHandle t, out long dim);
    [LibraryImport(Lib)] internal static partial int hs_tensor_shape(TensorHandle t, long* buf, long cap, out long ndim);
    [LibraryImport(Lib)] internal static partial int hs_tensor_dtype(TensorHandle t, out int dtype);
    [LibraryImport(Lib)] internal static partial int hs_tensor_device(TensorHandle t, out int type, out int index);
    [LibraryImport(Lib)] internal static partial int hs_tensor_numel(TensorHandle t, out long numel);
    [LibraryImport(Lib)] internal static partial int hs_tensor_requires_grad(TensorHandle t, out int value);
    [LibraryImport(Lib)] internal static partial int hs_tensor_set_requires_grad(TensorHandle t, int value);
    [LibraryImport(Lib)] internal static partial int hs_tensor_is_leaf(TensorHandle t, out int value);
    [LibraryImport(Lib)] internal static partial int hs_tensor_item_double(TensorHandle t, out double value);
    [LibraryImport(Lib)] internal static partial int hs_tensor_item_int64(TensorHandle t, out long value);
    [LibraryImport(Lib)] internal static partial int hs_tensor_copy_to_host(TensorHandle t, void* buf, long nbytes);
    [LibraryImport(Lib)] internal static partial int hs_tensor_from_host(void* buf, long nbytes, long* shape, long ndim, int dtype, int deviceType, int deviceIndex, out nint result);
    [LibraryImport(Lib)] internal static partial int hs_tensor_copy_from_host(TensorHandle t, void* buf, long nbytes);
    [LibraryImport(Lib)] internal static partial int hs_tensor_to_string(TensorHandle t, byte* buf, long cap, long* len);
}
