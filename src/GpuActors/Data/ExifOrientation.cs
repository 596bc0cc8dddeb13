using SkiaSharp;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The EXIF orientation tag (which SkiaSharp's <see cref="SKCodec.EncodedOrigin"/> reports but
/// does not apply when decoding) as a transform from stored pixel coordinates to displayed ones.
/// Each case follows the tag's definition: "row 0 is the visual right side, column 0 the visual
/// top" (6) means stored (x, y) is displayed at (h − y, x).
/// </summary>
internal static class ExifOrientation
{
    /// <summary>
    /// Maps a point of the stored <paramref name="width"/>×<paramref name="height"/> image to
    /// where a viewer shows it (continuous coordinates: pixel edges, not centres).
    /// </summary>
    public static SKMatrix ToDisplay(SKEncodedOrigin origin, int width, int height)
    {
        float w = width, h = height;
        return origin switch
        {
            SKEncodedOrigin.TopRight => Affine(-1, 0, w, 0, 1, 0),     // mirrored left-right
            SKEncodedOrigin.BottomRight => Affine(-1, 0, w, 0, -1, h), // rotated 180°
            SKEncodedOrigin.BottomLeft => Affine(1, 0, 0, 0, -1, h),   // mirrored top-bottom
            SKEncodedOrigin.LeftTop => Affine(0, 1, 0, 1, 0, 0),       // transposed
            SKEncodedOrigin.RightTop => Affine(0, -1, h, 1, 0, 0),     // to be turned 90° clockwise
            SKEncodedOrigin.RightBottom => Affine(0, -1, h, -1, 0, w), // transverse
            SKEncodedOrigin.LeftBottom => Affine(0, 1, 0, -1, 0, w),   // to be turned 90° anticlockwise
            _ => SKMatrix.Identity,
        };
    }

    /// <summary>The displayed (width, height): swapped when the tag turns the image a quarter.</summary>
    public static (int Width, int Height) DisplaySize(SKEncodedOrigin origin, int width, int height) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom
            ? (height, width)
            : (width, height);

    // x' = a·x + b·y + c, y' = d·x + e·y + f.
    private static SKMatrix Affine(float a, float b, float c, float d, float e, float f) => new(a, b, c, d, e, f, 0, 0, 1);
}
