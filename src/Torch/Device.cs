namespace HyperSwarm.Torch;

/// <summary>Device kinds; values mirror <c>hs_device_type</c>.</summary>
public enum DeviceType
{
    /// <summary>Host CPU.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU (needs a shim built with HS_WITH_CUDA).</summary>
    Cuda = 1,
}

/// <summary>A device such as <c>cpu</c> or <c>cuda:1</c>.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host CPU (the default everywhere).</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    /// <summary>GPU number <paramref name="index"/>.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda") return Cuda();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(t.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return Cuda(index);
        }

        throw new FormatException($"'{text}' is not a device: use cpu, cuda or cuda:N.");
    }

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
