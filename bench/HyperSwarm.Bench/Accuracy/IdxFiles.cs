using System.IO.Compression;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>Finding and reading an MNIST-style dataset's IDX files, plain or gzipped, for the benchmarks that rewrite them.</summary>
internal static class IdxFiles
{
    /// <summary>The path of <paramref name="name"/> (or <c>name.gz</c>) in <paramref name="folder"/>.</summary>
    public static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz" })
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{folder} has no {name}[.gz].");
    }

    /// <summary>The file's bytes, decompressed when it is gzipped.</summary>
    public static byte[] Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
