using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>CUDA queries. Everything works without a GPU: CPU is the default device.</summary>
public static class Cuda
{
    /// <summary>True when the shim was compiled with HS_WITH_CUDA.</summary>
    public static bool CompiledIn
    {
        get
        {
            Native.Check(Native.hs_with_cuda(out var v), "hs_with_cuda");
            return v != 0;
        }
    }

    /// <summary>True when libtorch sees at least one usable CUDA device.</summary>
    public static bool IsAvailable
    {
        get
        {
            Native.Check(Native.hs_cuda_is_available(out var v), "hs_cuda_is_available");
            return v != 0;
        }
    }

    /// <summary>Number of CUDA devices libtorch sees.</summary>
    public static int DeviceCount
    {
        get
        {
            Native.Check(Native.hs_cuda_device_count(out var v), "hs_cuda_device_count");
            return v;
        }
    }

    /// <summary>Waits for all work on <paramref name="device"/>; call before reading a timer.</summary>
    public static void Synchronize(int device = 0) => Native.Check(Native.hs_cuda_synchronize(device), "hs_cuda_synchronize");

    /// <summary>Returns cached, unused GPU memory to the driver.</summary>
    public static void EmptyCache() => Native.Check(Native.hs_cuda_empty_cache(), "hs_cuda_empty_cache");

    /// <summary>Bytes currently allocated by libtorch's caching allocator on <paramref name="device"/>.</summary>
    public static long MemoryAllocated(int device = 0)
    {
        Native.Check(Native.hs_cuda_memory_allocated(device, out var bytes), "hs_cuda_memory_allocated");
        return bytes;
    }
}
