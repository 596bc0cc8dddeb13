using System.Collections;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Custom metadata of a call: request headers, response headers or trailers.
/// Keys are lower-case <c>[0-9a-z_.-]</c>; <c>grpc-</c> keys are reserved for the runtime
/// (GRPC.md §1.1).
/// </summary>
public sealed class Metadata : IReadOnlyList<MetadataEntry>
{
    private const string BinarySuffix = "-bin";
    private readonly List<MetadataEntry> _entries = [];

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public MetadataEntry this[int index] => _entries[index];

    /// <summary>Adds a text entry; the value must be printable ASCII.</summary>
    public Metadata Add(string key, string value)
    {
        string name = CheckKey(key);
        if (IsBinaryKey(name))
        {
            throw new ArgumentException($"Key '{name}' ends in -bin: add bytes instead.", nameof(key));
        }

        foreach (char c in value)
        {
            if (c is < (char)0x20 or > (char)0x7E)
            {
                throw new ArgumentException("Metadata values must be printable ASCII.", nameof(value));
            }
        }

        _entries.Add(new MetadataEntry(name, value, null));
        return this;
    }

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public Metadata Add(string key, byte[] value)
    {
        string name = CheckKey(key);
        if (!IsBinaryKey(name))
        {
            throw new ArgumentException($"Binary key '{name}' must end in -bin.", nameof(key));
        }

        _entries.Add(new MetadataEntry(name, null, value.ToArray()));
        return this;
    }

    /// <summary>The first text value under <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) =>
        _entries.FirstOrDefault(e => e.Key == key.ToLowerInvariant() && !e.IsBinary)?.Value;

    /// <summary>The first binary value under <paramref name="key"/>, or null.</summary>
    public byte[]? GetBytes(string key) =>
        _entries.FirstOrDefault(e => e.Key == key.ToLowerInvariant() && e.IsBinary)?.ValueBytes;

    /// <inheritdoc />
    public IEnumerator<MetadataEntry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.Ordinal);

    /// <summary>Adds an entry as read off the wire, decoding <c>-bin</c> values.</summary>
    internal void AddFromWire(string key, string value)
    {
        if (IsBinaryKey(key))
        {
            _entries.Add(new MetadataEntry(key, null, MetadataBase64.Decode(value)));
        }
        else
        {
            _entries.Add(new MetadataEntry(key, value, null));
        }
    }

    /// <summary>The header value to send for <paramref name="entry"/>.</summary>
    internal static string WireValue(MetadataEntry entry) =>
        entry.IsBinary ? MetadataBase64.Encode(entry.ValueBytes!) : entry.Value!;

    private static string CheckKey(string key)
    {
        string name = key.ToLowerInvariant();
        if (name.Length == 0 || name.StartsWith("grpc-", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Metadata key '{key}' is empty or reserved.", nameof(key));
        }

        foreach (char c in name)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'z') or '_' or '.' or '-'))
            {
                throw new ArgumentException($"Metadata key '{key}' has a character outside [0-9a-z_.-].", nameof(key));
            }
        }

        return name;
    }
}
