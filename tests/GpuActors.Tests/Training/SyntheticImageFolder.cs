using HyperSwarm.GpuActors.Tests.Data;
using SkiaSharp;

namespace HyperSwarm.GpuActors.Tests.Training;

/// <summary>
/// A small learnable image folder in a temp directory: two classes, <c>blue/</c> and <c>red/</c>,
/// of noisy tinted images in mixed sizes and formats (PNG, JPEG, BMP), plus
/// <see cref="BadFiles"/> files that cannot be used (an empty JPEG and a text file), so that
/// training on it also skips and lists files.
/// </summary>
internal sealed class SyntheticImageFolder : IDisposable
{
    /// <summary>Unusable files written beside the images.</summary>
    public const int BadFiles = 2;

    private static readonly SKEncodedImageFormat[] Formats = [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Bmp];

    public SyntheticImageFolder(int perClass = 20, int seed = 7)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hs-image-folder-").FullName;
        var rng = new Random(seed);
        for (var i = 0; i < perClass; i++)
        {
            Write("red", i, rng, (r, g, b) => new SKColor(r, g, b));
            Write("blue", i, rng, (r, g, b) => new SKColor(b, g, r));
        }

        File.WriteAllBytes(Path.Combine(Directory, "red", "broken.jpg"), []);
        File.WriteAllText(Path.Combine(Directory, "blue", "notes.txt"), "not an image");
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>The class names as labels: sorted folder names.</summary>
    public static IReadOnlyList<string> Classes => ["blue", "red"];

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    // One image of 24–47 × 24–47 pixels: a strong first channel, weak others, pixel noise.
    private void Write(string label, int index, Random rng, Func<byte, byte, byte, SKColor> tint)
    {
        var (width, height) = (rng.Next(24, 48), rng.Next(24, 48));
        var noise = Enumerable.Range(0, width * height * 3).Select(_ => rng.Next(-50, 51)).ToArray();
        byte Channel(int mean, int at) => (byte)Math.Clamp(mean + noise[at], 0, 255);
        var format = Formats[index % Formats.Length];
        var bytes = ImageFiles.Encode(format, width, height, (x, y) =>
        {
            var at = 3 * (y * width + x);
            return tint(Channel(190, at), Channel(70, at + 1), Channel(60, at + 2));
        });
        var extension = format == SKEncodedImageFormat.Jpeg ? "jpg" : format.ToString().ToLowerInvariant();
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, label)).FullName;
        File.WriteAllBytes(Path.Combine(folder, $"{index:D3}.{extension}"), bytes);
    }
}
