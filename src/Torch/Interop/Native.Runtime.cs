using System.Runtime.InteropServices;

namespace HyperSwarm.Torch.Interop;

internal static unsafe partial class Native
{
    [LibraryImport(Lib)] internal static partial int hs_last_error(byte* buf, long cap, long* len);
    [LibraryImport(Lib)] internal static partial int hs_version(byte* buf, long cap, long* len);
    [LibraryImport(Lib)] internal static partial int hs_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int hs_get_num_threads(out int n);
    [LibraryImport(Lib)] internal static partial int hs_manual_seed(long seed);
    [LibraryImport(Lib)] internal static partial int hs_rng_state_get(out nint state);
    [LibraryImport(Lib)] internal static partial int hs_rng_state_set(TensorHandle state);
    [LibraryImport(Lib)] internal static partial int hs_with_cuda(out int value);
    [LibraryImport(Lib)] internal static partial int hs_cuda_is_available(out int value);
    [LibraryImport(Lib)] internal static partial int hs_cuda_device_count(out int value);
    [LibraryImport(Lib)] internal static partial int hs_cuda_synchronize(int device);
    [LibraryImport(Lib)] internal static partial int hs_cuda_empty_cache();
    [LibraryImport(Lib)] internal static partial int hs_cuda_memory_allocated(int device, out long bytes);
    [LibraryImport(Lib)] internal static partial int hs_live_tensors(out long count);
    [LibraryImport(Lib)] internal static partial int hs_keep_freed_host_memory(long trimThreshold, out int applied);
}
