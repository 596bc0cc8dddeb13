using System.Buffers.Binary;
using System.IO.Compression;

namespace HyperSwarm.Torch.Tests.Support;

/// <summary>
/// Minimal IDX reader for the end-to-end test (the product's reader, with full validation,
/// lives in GpuActors/Data). Reads gzip or plain files.
/// </summary>
internal static class IdxFile
{
    public const string FashionMnistDir = "/usr/share/datasets/fashion-mnist";

    public static (byte[] Data, int[] Dims) Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        var rank = bytes[3];
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
        }

        return (bytes[(4 + 4 * rank)..], dims);
    }
}
