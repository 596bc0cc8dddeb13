namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// One metadata header: an ASCII value, or bytes when the key ends in <c>-bin</c>
/// (GRPC.md §1.1).
/// </summary>
public sealed class MetadataEntry
{
    internal MetadataEntry(string key, string? value, byte[]? valueBytes)
    {
        Key = key;
        Value = value;
        ValueBytes = valueBytes;
    }

    /// <summary>The lower-case header name.</summary>
    public string Key { get; }

    /// <summary>The text value; null for a binary entry.</summary>
    public string? Value { get; }

    /// <summary>The bytes of a binary (<c>-bin</c>) entry; null for a text entry.</summary>
    public byte[]? ValueBytes { get; }

    /// <summary>Whether the key ends in <c>-bin</c>.</summary>
    public bool IsBinary => ValueBytes is not null;

    /// <inheritdoc />
    public override string ToString() =>
        IsBinary ? $"{Key}: [{ValueBytes!.Length} bytes]" : $"{Key}: {Value}";
}
