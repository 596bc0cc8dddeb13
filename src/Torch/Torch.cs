using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>Process-wide libtorch runtime: version, threads, seeding, RNG state, live handles.</summary>
public static unsafe partial class Torch
{
    /// <summary>The libtorch version the shim was built against, e.g. "libtorch 1.13.1".</summary>
    public static string Version
    {
        get
        {
            byte* buf = stackalloc byte[128];
            long len;
            Native.Check(Native.hs_version(buf, 128, &len), "hs_version");
            return System.Text.Encoding.UTF8.GetString(buf, (int)Math.Min(len, 127));
        }
    }

    /// <summary>
    /// libtorch's intra-op thread count (process-wide). With k CPU actors use about
    /// cores / k each to avoid oversubscription.
    /// </summary>
    public static int NumThreads
    {
        get
        {
            Native.Check(Native.hs_get_num_threads(out var n), "hs_get_num_threads");
            return n;
        }

        set => Native.Check(Native.hs_set_num_threads(value), "hs_set_num_threads");
    }

    /// <summary>Native tensor handles alive now (created minus freed): leak tests compare it before and after.</summary>
    public static long LiveTensors
    {
        get
        {
            Native.Check(Native.hs_live_tensors(out var n), "hs_live_tensors");
            return n;
        }
    }

    /// <summary>
    /// True when the process keeps freed host memory instead of returning it to the kernel
    /// after every step (glibc only; set HS_GLIBC_MALLOC_DEFAULTS=1 to keep glibc's defaults).
    /// </summary>
    public static bool HostAllocatorTuned => Native.HostAllocatorTuned; // reading it runs Native's setup

    /// <summary>Handles freed by the finalizer rather than by Dispose: each one is a late-caught leak.</summary>
    public static long FinalizerReleases => TensorHandle.FinalizerReleases;

    /// <summary>Seeds the CPU generator (and every CUDA device when present): runs repeat exactly on CPU.</summary>
    public static void ManualSeed(long seed) => Native.Check(Native.hs_manual_seed(seed), "hs_manual_seed");

    /// <summary>The CPU generator's state, for checkpoints (a uint8 tensor the caller owns).</summary>
    public static Tensor GetRngState() => Tensor.Wrap(Native.hs_rng_state_get(out var r), r, "hs_rng_state_get");

    /// <summary>Restores a state from <see cref="GetRngState"/>.</summary>
    public static void SetRngState(Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Native.Check(Native.hs_rng_state_set(state.Handle), "hs_rng_state_set");
    }
}
