using System.Buffers.Binary;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Reads a safetensors file front to back: <see cref="Open"/> reads and validates the header
/// against the file size, then <see cref="ReadNext"/> streams each tensor's bytes, in header
/// order, straight into the caller's buffer. Any problem throws <see cref="CheckpointException"/>.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private readonly FileStream stream;
    private long position;

    private SafetensorsReader(string path, FileStream stream, byte[] prefix, byte[] rawHeader, SafetensorsHeader header)
    {
        Path = path;
        this.stream = stream;
        LengthPrefix = prefix;
        RawHeader = rawHeader;
        Header = header;
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>The file's first 8 bytes.</summary>
    public byte[] LengthPrefix { get; }

    /// <summary>The header bytes exactly as stored (checksums are computed over them).</summary>
    public byte[] RawHeader { get; }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Opens <paramref name="path"/> and validates its header.</summary>
    public static SafetensorsReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileStream? stream = null;
        try
        {
            // Unbuffered: tensor bytes are read straight into their destination arrays.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
            var reader = ReadHeader(path, stream);
            stream = null;
            return reader;
        }
        catch (IOException e)
        {
            throw Unreadable(path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Unreadable(path, e);
        }
        finally
        {
            stream?.Dispose();
        }
    }

    /// <summary>
    /// Reads all of <paramref name="entry"/>'s bytes into <paramref name="destination"/>; entries
    /// must be read in <see cref="SafetensorsHeader.Entries"/> order.
    /// </summary>
    public void ReadNext(SafetensorsEntry entry, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (destination.Length != entry.ByteLength)
        {
            throw new ArgumentException($"tensor '{entry.Name}' has {entry.ByteLength} bytes, the buffer {destination.Length}", nameof(destination));
        }

        ReadNext(entry, 0, destination);
    }

    /// <summary>
    /// Reads the next <paramref name="destination"/>.Length bytes of <paramref name="entry"/>,
    /// starting <paramref name="offset"/> bytes into it: the way to stream a large tensor
    /// through a small reusable buffer. Reads must follow the file order.
    /// </summary>
    public void ReadNext(SafetensorsEntry entry, long offset, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Begin + offset != position || offset < 0 || offset + destination.Length > entry.ByteLength)
        {
            throw new ArgumentException($"reading {destination.Length} bytes at {offset} of tensor '{entry.Name}' does not follow the file order", nameof(entry));
        }

        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException(Path, $"is truncated: it ended inside tensor '{entry.Name}'", e);
        }
        catch (IOException e)
        {
            throw new CheckpointException(Path, $"cannot be read at tensor '{entry.Name}' ({e.Message.TrimEnd('.')})", e);
        }

        position += destination.Length;
        if (entry.DType == Torch.DType.Bool && destination.IndexOfAnyExcept((byte)0, (byte)1) >= 0)
        {
            throw new CheckpointException(Path, $"has a BOOL tensor '{entry.Name}' with bytes other than 0 and 1");
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => stream.Dispose();

    private static CheckpointException Unreadable(string path, Exception e) =>
        new(path, $"cannot be read ({e.Message.TrimEnd('.')})", e);

    private static SafetensorsReader ReadHeader(string path, FileStream stream)
    {
        var length = stream.Length;
        if (length < 8)
        {
            throw new CheckpointException(path, $"is too short to be a safetensors file ({length} bytes)");
        }

        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        var n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > (ulong)(length - 8))
        {
            throw new CheckpointException(path, $"declares a header of {n} bytes but only {length - 8} bytes follow the length field");
        }

        if (n > SafetensorsHeader.MaxHeaderBytes)
        {
            throw new CheckpointException(path, $"declares a header of {n} bytes, more than the {SafetensorsHeader.MaxHeaderBytes} allowed");
        }

        var raw = new byte[(int)n];
        stream.ReadExactly(raw);
        var header = SafetensorsHeader.Parse(path, raw, length - 8 - (long)n);
        return new SafetensorsReader(path, stream, prefix, raw, header);
    }
}
