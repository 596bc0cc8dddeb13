namespace HyperSwarm.GpuActors.Data;

/// <summary>The shape of one image, channels first: (C, H, W).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Pixels in one channel plane (H·W).</summary>
    public int PlaneSize => Height * Width;

    /// <summary>Values in one image (C·H·W).</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc />
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
