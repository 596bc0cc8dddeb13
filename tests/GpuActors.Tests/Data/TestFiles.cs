using System.Buffers.Binary;
using System.IO.Compression;

namespace HyperSwarm.GpuActors.Tests.Data;

/// <summary>Builds small data files in a private temporary directory, deleted on dispose.</summary>
internal sealed class TestFiles : IDisposable
{
    public TestFiles() => Directory = System.IO.Directory.CreateTempSubdirectory("hs-data-").FullName;

    public string Directory { get; }

    public static string FashionMnistDir => "/usr/share/datasets/fashion-mnist";

    /// <summary>IDX bytes: magic 00 00 08 rank, big-endian sizes, then <paramref name="data"/>.</summary>
    public static byte[] Idx(int[] dims, byte[] data, int magic = -1)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic >= 0 ? magic : 0x0800 | dims.Length);
        for (var d = 0; d < dims.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        }

        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>Bytes 0, 1, 2, … (mod 256).</summary>
    public static byte[] Ramp(int length) => Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes an images/labels pair of <paramref name="count"/> 28×28 images; returns their paths.</summary>
    public (string Images, string Labels) WriteIdxPair(string split, int count, bool gzip, int labelCount = -1)
    {
        labelCount = labelCount < 0 ? count : labelCount;
        var images = Idx([count, 28, 28], Ramp(count * 784));
        var labels = Idx([labelCount], Enumerable.Range(0, labelCount).Select(i => (byte)(i % 10)).ToArray());
        var suffix = gzip ? ".gz" : "";
        return (Write($"{split}-images-idx3-ubyte{suffix}", gzip ? Gzip(images) : images),
                Write($"{split}-labels-idx1-ubyte{suffix}", gzip ? Gzip(labels) : labels));
    }

    /// <summary>
    /// CIFAR records: record r has label r % 10 (CIFAR-10), or coarse r % 20 and fine (r + 50) % 100
    /// (CIFAR-100), then 3072 pixels of value r.
    /// </summary>
    public static byte[] CifarRecords(int count, int labelBytes)
    {
        var recordSize = labelBytes + 3072;
        var bytes = new byte[count * recordSize];
        for (var r = 0; r < count; r++)
        {
            var record = bytes.AsSpan(r * recordSize, recordSize);
            if (labelBytes == 1)
            {
                record[0] = (byte)(r % 10);
            }
            else
            {
                record[0] = (byte)(r % 20);
                record[1] = (byte)((r + 50) % 100);
            }

            record[labelBytes..].Fill((byte)r);
        }

        return bytes;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
