using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>The device a member trains on, checked against what this process can use.</summary>
public static class TrainingDevice
{
    /// <summary>
    /// Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> and refuses, in one sentence
    /// (<see cref="ArgumentException"/>), a CUDA device that the loaded libhstorch cannot reach:
    /// a CPU-only build, or an index past the devices present.
    /// </summary>
    public static Device Resolve(string name)
    {
        var d = Parse(name);
        if (d.Type != DeviceType.Cuda) return d;
        if (!Cuda.CompiledIn)
        {
            throw new ArgumentException($"device: {d} needs a CUDA build of libhstorch (scripts/gpu/build-cuda-shim.sh), but the loaded one is CPU-only.");
        }

        var count = Cuda.DeviceCount;
        if (d.Index >= count)
        {
            throw new ArgumentException($"device: {d} is not present; this machine has {count} CUDA device{(count == 1 ? "" : "s")}.");
        }

        return d;
    }

    /// <summary>Parses a device name without asking whether it is present: a bad name is an <see cref="ArgumentException"/> naming the <c>device</c> key.</summary>
    public static Device Parse(string name)
    {
        try
        {
            return Device.Parse(name);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"device: {e.Message}", e);
        }
    }
}
