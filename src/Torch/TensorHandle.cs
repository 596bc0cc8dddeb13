using System.Runtime.InteropServices;
using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>
/// Owns one native <c>hs_tensor*</c> reference. Disposal (or, as a backstop, finalization)
/// calls <c>hs_tensor_free</c>. Finalization is counted: GPU memory must not wait for the GC.
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    private static long finalizerReleases;

    /// <summary>Stands for an absent optional tensor (NULL on the native side); never freed.</summary>
    internal static readonly TensorHandle Null = new(0, ownsHandle: false);

    private bool disposedExplicitly;

    public TensorHandle()
        : base(0, ownsHandle: true)
    {
    }

    internal TensorHandle(nint raw, bool ownsHandle = true)
        : base(0, ownsHandle) => SetHandle(raw);

    /// <summary>Handles released by the finalizer instead of Dispose (leaks caught late).</summary>
    internal static long FinalizerReleases => Interlocked.Read(ref finalizerReleases);

    public override bool IsInvalid => handle == 0;

    protected override void Dispose(bool disposing)
    {
        disposedExplicitly = disposing;
        base.Dispose(disposing);
    }

    protected override bool ReleaseHandle()
    {
        if (!disposedExplicitly)
        {
            Interlocked.Increment(ref finalizerReleases);
        }

        return Native.hs_tensor_free(handle) == 0;
    }
}
