namespace HyperSwarm.Torch.Tests.Support;

/// <summary>
/// A fact that needs a CUDA device: carries the Gpu category and is reported as skipped,
/// with the reason, when no device is present.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!Cuda.IsAvailable)
        {
            Skip = Cuda.CompiledIn ? "no CUDA device is visible" : "no CUDA device (libhstorch is a CPU build; build with HsWithCuda=ON on a GPU machine)";
        }
    }
}
