namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// One image file as a model trained on an image folder sees it: decoded and resized by
/// <see cref="ImageDecoder"/> and given the model's channels by <see cref="ChannelConversion"/>,
/// exactly the steps <see cref="ImageFolderReader"/> and <see cref="ImageFolderSets"/> take for
/// every file of a folder, so a file predicted on its own gets the pixels training and
/// <c>eval</c> gave it.
/// </summary>
public static class PreprocessedImage
{
    /// <summary>
    /// Writes the file's (C, S, S) uint8 pixels (C and S from <paramref name="preprocessing"/>)
    /// into <paramref name="pixels"/>; returns why the file cannot be used (a clause), or null.
    /// </summary>
    public static string? TryRead(string path, ImagePreprocessing preprocessing, Span<byte> pixels)
    {
        ArgumentNullException.ThrowIfNull(preprocessing);
        var shape = preprocessing.Shape;
        if (pixels.Length != shape.Size) throw new ArgumentException($"Need {shape.Size} bytes for a {shape} image, got {pixels.Length}.", nameof(pixels));
        var size = preprocessing.ImageSize;
        var rgb = new byte[3 * size * size]; // (3, S, S)
        var problem = ImageDecoder.Decode(path, size, rgb, out _);
        if (problem is not null) return problem;

        // A gray model reads colour as BT.601 luma; on a gray file that is the file's own plane.
        ChannelConversion.Convert(rgb, new ImageShape(3, size, size), shape.Channels).AsSpan().CopyTo(pixels);
        return null;
    }
}
