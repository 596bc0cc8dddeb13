using System.IO.Compression;
using HyperSwarm.Bench.Accuracy;

namespace HyperSwarm.Cli.Tests.Bench;

public sealed class StratifiedSubsetTests : IDisposable
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-subset-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Takes_the_first_images_of_every_class_in_file_order_with_their_pixels_and_the_full_test_set()
    {
        var counts = StratifiedSubset.Write(FashionMnist, folder.FullName, perClass: 3);

        var sourceLabels = Gunzip("train-labels-idx1-ubyte.gz");
        var sourceImages = Gunzip("train-images-idx3-ubyte.gz");
        // Expected independently: walk the source labels, keep an index while its class has < 3.
        var expected = new List<int>();
        var seen = new int[10];
        for (var i = 0; i < 60_000 && expected.Count < 30; i++)
        {
            if (seen[sourceLabels[8 + i]]++ < 3) expected.Add(i);
        }
        var labels = File.ReadAllBytes(Path.Combine(folder.FullName, "train-labels-idx1-ubyte"));
        var images = File.ReadAllBytes(Path.Combine(folder.FullName, "train-images-idx3-ubyte"));

        Assert.Equal(Enumerable.Range(0, 10).ToDictionary(c => (byte)c, _ => 3), counts);
        Assert.Equal(8 + 30, labels.Length);
        Assert.Equal(16 + 30 * 784, images.Length);
        Assert.Equal(expected.Select(i => sourceLabels[8 + i]), labels[8..]);
        for (var j = 0; j < 30; j++)
            Assert.True(images.AsSpan(16 + j * 784, 784).SequenceEqual(sourceImages.AsSpan(16 + expected[j] * 784, 784)), $"image {j} is not source image {expected[j]}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(FashionMnist, "t10k-labels-idx1-ubyte.gz")), File.ReadAllBytes(Path.Combine(folder.FullName, "t10k-labels-idx1-ubyte.gz")));
    }

    [Fact]
    public void A_class_with_too_few_images_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => StratifiedSubset.Write(FashionMnist, folder.FullName, perClass: 6_001));

    private static byte[] Gunzip(string name)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(FashionMnist, name)), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
