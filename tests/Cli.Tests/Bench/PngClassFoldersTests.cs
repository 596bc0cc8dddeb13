using HyperSwarm.Bench.Accuracy;
using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.Cli.Tests.Bench;

public sealed class PngClassFoldersTests : IDisposable
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-png-folders-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Every_image_becomes_a_png_of_its_class_with_its_pixels_and_the_folder_loads_as_the_same_dataset()
    {
        // 3 training images per class (and the full test split) as IDX, then as PNG folders.
        var idx = Path.Combine(folder.FullName, "idx");
        StratifiedSubset.Write(FashionMnist, idx, perClass: 3);
        var pngs = Path.Combine(folder.FullName, "png");

        var written = PngClassFolders.Write(idx, pngs);

        Assert.Equal(30 + 10_000, written);
        var classes = Directory.GetDirectories(Path.Combine(pngs, "train")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(10, classes.Length);
        Assert.All(classes, c => Assert.Equal(3, Directory.GetFiles(Path.Combine(pngs, "train", c!), "*.png").Length));
        Assert.Equal(10_000, Directory.GetFiles(Path.Combine(pngs, "test"), "*.png", SearchOption.AllDirectories).Length);

        // Image 0 of the IDX file, decoded back from its PNG, has the same bytes.
        var labels = File.ReadAllBytes(Path.Combine(idx, "train-labels-idx1-ubyte"));
        var images = File.ReadAllBytes(Path.Combine(idx, "train-images-idx3-ubyte"));
        var first = Directory.GetFiles(pngs, "00000.png", SearchOption.AllDirectories).Single(p => p.Contains("/train/", StringComparison.Ordinal));
        using var decoded = SKBitmap.Decode(first);
        Assert.Equal((28, 28), (decoded.Width, decoded.Height));
        var pixels = Enumerable.Range(0, 784).Select(i => decoded.GetPixel(i % 28, i / 28).Red).ToArray();
        Assert.Equal(images.AsSpan(16, 784).ToArray(), pixels);
        Assert.Equal(labels[8], (byte)Array.IndexOf(["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"], Path.GetFileName(Path.GetDirectoryName(first))));

        // The folder path reads it as the same dataset: 30 + 10,000 gray 28x28 images.
        var sets = DatasetCatalog.Load(pngs, new DatasetLoadOptions { CacheDirectory = Path.Combine(folder.FullName, "cache") });
        Assert.Equal((30, 10_000), (sets.Train.Count, sets.Test.Count));
        Assert.Equal(new ImageShape(1, 28, 28), sets.Train.Shape);
        Assert.Equal(classes, sets.ClassNames);
    }
}
