using System.Buffers.Binary;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Writes the safetensors layout to a stream: the 8-byte little-endian header length, the
/// header, then each tensor's bytes in header order. Tensor arrays go to the stream as they
/// are (no staging copy); the stream's own buffer coalesces the many small ones.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> as one safetensors file.</summary>
    public static Task WriteAsync(Stream stream, IReadOnlyList<(string Name, HostTensor Tensor)> tensors,
        IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = SafetensorsHeader.Create(tensors, metadata);
        return WriteAsync(stream, header.ToBytes(), tensors.Select(t => t.Tensor.Data), cancellationToken);
    }

    /// <summary>
    /// Writes a prepared header (from <see cref="SafetensorsHeader.ToBytes"/>, possibly patched)
    /// followed by <paramref name="data"/>, which must match its entries in order and size.
    /// </summary>
    public static async Task WriteAsync(Stream stream, byte[] header, IEnumerable<byte[]> data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(data);
        if (!BitConverter.IsLittleEndian)
        {
            // Tensor bytes are copied from memory as they are; the format wants little-endian.
            throw new PlatformNotSupportedException("safetensors writing needs a little-endian host");
        }

        await stream.WriteAsync(LengthPrefix(header.Length), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        foreach (var bytes in data)
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The 8-byte little-endian length that precedes a header of <paramref name="headerLength"/> bytes.</summary>
    public static byte[] LengthPrefix(long headerLength)
    {
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, checked((ulong)headerLength));
        return prefix;
    }
}
