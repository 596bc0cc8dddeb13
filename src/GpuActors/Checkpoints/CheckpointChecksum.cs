using System.Security.Cryptography;
using System.Text;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// The checkpoint checksum, stored in <c>__metadata__</c> under <see cref="MetadataKey"/> as 64
/// lower-case hex digits. It is SHA-256 over the whole file — the 8-byte length, the header
/// and the data — computed with the checksum's own 64 digits replaced by '0'. Covering the
/// header makes it tamper-evident too (a flipped dtype, shape, offset, metadata value or
/// padding byte changes the hash), and zeroing the stored digits in place keeps the header
/// length identical before and after sealing, so nothing needs re-serialising. A reader finds
/// the digits by searching the raw header for the value it parsed (which must occur exactly
/// once), zeroes them, and hashes the file as it streams it.
/// </summary>
public static class CheckpointChecksum
{
    /// <summary>The <c>__metadata__</c> key of the checksum.</summary>
    public const string MetadataKey = "hs.sha256";

    /// <summary>The value written while hashing: 64 zeros, the length of a SHA-256 hex digest.</summary>
    public static readonly string Placeholder = new('0', 64);

    /// <summary>
    /// Hashes the file that <paramref name="header"/> (holding the placeholder) and
    /// <paramref name="data"/> make, then writes the digest over the placeholder in
    /// <paramref name="header"/>; returns the digest.
    /// </summary>
    public static string Seal(byte[] header, IEnumerable<byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(data);
        var at = Locate(header, Placeholder);
        if (at < 0)
        {
            throw new ArgumentException("the header does not hold exactly one checksum placeholder", nameof(header));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(SafetensorsWriter.LengthPrefix(header.Length));
        hash.AppendData(header);
        foreach (var bytes in data) hash.AppendData(bytes);
        var digest = Convert.ToHexStringLower(hash.GetHashAndReset());
        Encoding.ASCII.GetBytes(digest).CopyTo(header, at);
        return digest;
    }

    /// <summary>
    /// Starts verifying a file: checks the stored value's form and returns a hash already fed
    /// with the length prefix and the header (digits zeroed); the caller appends the data and
    /// calls <see cref="Verify"/>.
    /// </summary>
    public static IncrementalHash Begin(SafetensorsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stored = Stored(reader);
        var zeroed = (byte[])reader.RawHeader.Clone();
        var at = Locate(zeroed, stored);
        if (at < 0)
        {
            throw new CheckpointException(reader.Path, "has a checksum that does not occur exactly once in its header");
        }

        Encoding.ASCII.GetBytes(Placeholder).CopyTo(zeroed, at);
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(reader.LengthPrefix);
        hash.AppendData(zeroed);
        return hash;
    }

    /// <summary>Compares the finished hash with the stored checksum.</summary>
    public static void Verify(SafetensorsReader reader, IncrementalHash hash)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(hash);
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != Stored(reader))
        {
            throw new CheckpointException(reader.Path, $"fails its checksum (stored {Stored(reader)[..12]}…, computed {actual[..12]}…): it was corrupted or modified after writing");
        }
    }

    private static string Stored(SafetensorsReader reader)
    {
        if (!reader.Header.Metadata.TryGetValue(MetadataKey, out var stored))
        {
            throw new CheckpointException(reader.Path, $"has no '{MetadataKey}' checksum in its metadata, so it is not a HyperSwarm checkpoint");
        }

        if (stored.Length != 64 || !stored.All(char.IsAsciiHexDigitLower))
        {
            throw new CheckpointException(reader.Path, $"has a malformed '{MetadataKey}' checksum (want 64 lower-case hex digits)");
        }

        return stored;
    }

    // Index of the quoted value in the raw header, or -1 unless it occurs exactly once.
    private static int Locate(byte[] header, string value)
    {
        var needle = Encoding.ASCII.GetBytes($"\"{value}\"");
        var first = header.AsSpan().IndexOf(needle);
        if (first < 0 || header.AsSpan(first + 1).IndexOf(needle) >= 0) return -1;
        return first + 1;
    }
}
