using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>
/// Whether autograd records operations. Thread-local in libtorch: it must be set on the
/// thread that runs the model (the actor's own thread).
/// </summary>
public static class GradMode
{
    /// <summary>The current thread's grad mode.</summary>
    public static bool IsEnabled
    {
        get
        {
            Native.Check(Native.hs_grad_mode_get(out var enabled), "hs_grad_mode_get");
            return enabled != 0;
        }

        set => Native.Check(Native.hs_grad_mode_set(value ? 1 : 0), "hs_grad_mode_set");
    }
}
