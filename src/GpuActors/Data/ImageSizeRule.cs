namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The input side chosen from the data when <c>data.image_size</c> is not set: the median of
/// every image's shorter side, rounded to a multiple of 4 (small-cnn's two pools need it),
/// clamped to [<see cref="Smallest"/>, <see cref="Largest"/>] so the zero-config budget still
/// trains a few epochs on two CPU cores.
/// </summary>
internal static class ImageSizeRule
{
    /// <summary>The smallest side chosen.</summary>
    public const int Smallest = 16;

    /// <summary>The largest side chosen (64×64 RGB is already 4× CIFAR's pixels).</summary>
    public const int Largest = 64;

    /// <summary>The side for images whose shorter sides are <paramref name="shorterSides"/> (at least one).</summary>
    public static int Choose(IReadOnlyCollection<int> shorterSides)
    {
        ArgumentNullException.ThrowIfNull(shorterSides);
        ArgumentOutOfRangeException.ThrowIfZero(shorterSides.Count);
        var sorted = shorterSides.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
        var rounded = (int)Math.Round(median / 4, MidpointRounding.AwayFromZero) * 4;
        return Math.Clamp(rounded, Smallest, Largest);
    }
}
