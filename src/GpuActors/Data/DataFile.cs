using System.IO.Compression;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Opens data files, plain or gzip (sniffed from the first two bytes, not the name), and turns
/// every I/O failure into one <see cref="DataFormatException"/> naming the file.
/// </summary>
internal static class DataFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>Opens <paramref name="path"/> for reading, decompressing on the fly when it is gzip.</summary>
    public static Stream Open(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, "it is a directory, not a file");
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        }
        catch (FileNotFoundException e)
        {
            throw new DataFormatException(path, "the file does not exist", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DataFormatException(path, "its directory does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataFormatException(path, "permission to read the file is denied", e);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, $"the file cannot be opened ({e.GetType().Name})", e);
        }

        if (!file.CanSeek)
        {
            file.Dispose();
            throw new DataFormatException(path, "it is not a regular file (a pipe or device cannot be re-read after sniffing for gzip)");
        }

        Span<byte> magic = stackalloc byte[2];
        var n = ReadUpTo(file, path, magic);
        file.Position = 0;
        // RFC 1952: every gzip member starts with 1F 8B.
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false)
            : file;
    }

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; returns the bytes read (short only at the end).</summary>
    public static int ReadUpTo(Stream stream, string path, Span<byte> buffer)
    {
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var n = stream.Read(buffer[total..]);
                if (n == 0) break;
                total += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, "the gzip data is corrupt", e);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, $"reading failed after {total} bytes ({e.GetType().Name})", e);
        }

        return total;
    }

    /// <summary>True when the stream has no bytes left (so the declared size matched the file).</summary>
    public static bool AtEnd(Stream stream, string path)
    {
        Span<byte> probe = stackalloc byte[1];
        return ReadUpTo(stream, path, probe) == 0;
    }

    /// <summary>Reads the whole (decompressed) content.</summary>
    public static byte[] ReadAll(string path)
    {
        using var stream = Open(path);
        if (stream is FileStream file)
        {
            if (file.Length > Array.MaxLength)
            {
                throw new DataFormatException(path, $"the file is {file.Length} bytes, more than one array can hold");
            }

            var bytes = GC.AllocateUninitializedArray<byte>((int)file.Length);
            var n = ReadUpTo(file, path, bytes);
            return n == bytes.Length ? bytes : bytes[..n];
        }

        using var copy = new MemoryStream();
        var chunk = new byte[BufferSize];
        int read;
        while ((read = ReadUpTo(stream, path, chunk)) > 0)
        {
            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }
}
