using System.Buffers.Binary;
using System.IO.Compression;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Support;

/// <summary>
/// The first n training images of Fashion-MNIST (Debian's dataset-fashion-mnist) as
/// normalised tensors, for optimizer experiments. A minimal private IDX reader: the product's
/// reader, with full validation, lives in GpuActors/Data.
/// </summary>
internal static class FashionMnistSubset
{
    private const string Dir = "/usr/share/datasets/fashion-mnist";

    /// <summary>Images (n, 784) standardised with the training-set mean and std, and int64 labels (n).</summary>
    public static (Tensor X, Tensor Y) Load(int n)
    {
        const float mean = 0.2860f, std = 0.3530f; // Fashion-MNIST training-set statistics
        var images = Read(Path.Combine(Dir, "train-images-idx3-ubyte.gz"), n, 784);
        var labels = Read(Path.Combine(Dir, "train-labels-idx1-ubyte.gz"), n, 1);
        var x = new float[n * 784];
        for (var i = 0; i < x.Length; i++) x[i] = (images[i] / 255f - mean) / std;
        var y = labels.Select(b => (long)b).ToArray();
        return (Tensor.FromArray<float>(x, [n, 784]), Tensor.FromArray<long>(y, [n]));
    }

    // The first `items` records of `size` bytes after the big-endian header (magic 0, 0, type, rank; then rank sizes).
    private static byte[] Read(string path, int items, int size)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        Span<byte> magic = stackalloc byte[4];
        gzip.ReadExactly(magic);
        Span<byte> sizes = stackalloc byte[4 * magic[3]];
        gzip.ReadExactly(sizes);
        if (BinaryPrimitives.ReadInt32BigEndian(sizes) < items) throw new InvalidDataException($"{path} holds fewer than the {items} records asked for");
        var data = new byte[items * size];
        gzip.ReadExactly(data);
        return data;
    }
}
