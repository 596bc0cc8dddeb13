using System.Buffers.Binary;
using SkiaSharp;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>
/// An MNIST-style IDX dataset written out as an image folder (<c>bench images</c>): one grayscale
/// PNG per image under <c>train/&lt;class&gt;/</c> and <c>test/&lt;class&gt;/</c>, the layout a user's
/// photos have, so the folder path (decode, size choice, cache) can be scored against the IDX path
/// on the very same images.
/// </summary>
public static class PngClassFolders
{
    // Fashion-MNIST's labels in index order; a slash cannot be in a folder name.
    private static readonly string[] FashionClasses =
        ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"];

    /// <summary>Writes both splits of <paramref name="source"/> under <paramref name="target"/> and returns how many PNG files it wrote.</summary>
    public static int Write(string source, string target)
    {
        return WriteSplit(source, "train", Path.Combine(target, "train")) + WriteSplit(source, "t10k", Path.Combine(target, "test"));
    }

    private static int WriteSplit(string source, string prefix, string folder)
    {
        var labels = IdxFiles.Read(IdxFiles.Find(source, $"{prefix}-labels-idx1-ubyte"));
        var images = IdxFiles.Read(IdxFiles.Find(source, $"{prefix}-images-idx3-ubyte"));
        var count = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        // Each class's folder once, before the images go in.
        var names = new string[256];
        for (var label = 0; label < names.Length; label++) names[label] = label < FashionClasses.Length ? FashionClasses[label] : $"class-{label}";
        foreach (var label in labels.AsSpan(8, count).ToArray().Distinct()) Directory.CreateDirectory(Path.Combine(folder, names[label]));
        Parallel.For(0, count, i =>
        {
            var name = names[labels[8 + i]];
            using var bitmap = new SKBitmap(new SKImageInfo(columns, rows, SKColorType.Gray8, SKAlphaType.Opaque));
            // (rows, columns) bytes, row-major, as the IDX file holds them.
            images.AsSpan(16 + i * rows * columns, rows * columns).CopyTo(bitmap.GetPixelSpan());
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, name, $"{i:D5}.png"), png.ToArray());
        });
        return count;
    }
}
