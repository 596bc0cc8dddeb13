using SkiaSharp;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The resize rule of <see cref="ImagePreprocessing.ShorterSideCentreCrop"/>: scale so the
/// shorter side is the output side (aspect kept), then keep the centre square.
/// </summary>
internal static class CentreCrop
{
    /// <summary>
    /// Maps a point of a <paramref name="width"/>×<paramref name="height"/> (displayed) image to
    /// the <paramref name="size"/>×<paramref name="size"/> output; what falls outside is cropped.
    /// </summary>
    public static SKMatrix Transform(int width, int height, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var scale = (float)size / Math.Min(width, height);
        // The longer side overhangs by (side·scale − size); half of it goes on each side.
        return SKMatrix.CreateScaleTranslation(scale, scale, (size - width * scale) / 2, (size - height * scale) / 2);
    }
}
