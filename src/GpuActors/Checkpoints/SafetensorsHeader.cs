using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// The JSON header of a safetensors file: tensor entries in data order, contiguous from
/// offset 0, and the <c>__metadata__</c> string map. Layout of the file: an 8-byte
/// little-endian u64 N, N bytes of UTF-8 JSON (space-padded so the data starts 8-byte
/// aligned), then the raw tensor bytes.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The reserved header key holding free-form string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header we accept (the reference implementation's limit too): a guard against absurd lengths.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    internal SafetensorsHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Entries = entries;
        Metadata = metadata;
        DataLength = entries.Count == 0 ? 0 : entries[^1].End;
    }

    /// <summary>Tensor entries sorted by offset.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Bytes in the data section.</summary>
    public long DataLength { get; }

    /// <summary>Lays out <paramref name="tensors"/> back to back in the given order.</summary>
    public static SafetensorsHeader Create(IEnumerable<(string Name, HostTensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(metadata);
        var entries = new List<SafetensorsEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (string.IsNullOrEmpty(name) || name == MetadataKey || !names.Add(name))
            {
                throw new ArgumentException($"tensor name '{name}' is empty, reserved or repeated", nameof(tensors));
            }

            entries.Add(new SafetensorsEntry(name, tensor.DType, tensor.Shape, offset, offset + tensor.Data.LongLength));
            offset += tensor.Data.LongLength;
        }

        return new SafetensorsHeader(entries, new Dictionary<string, string>(metadata, StringComparer.Ordinal));
    }

    /// <summary>
    /// The header as written to the file (without the 8-byte length): compact JSON,
    /// <c>__metadata__</c> first, then tensors in data order, padded with spaces to a
    /// multiple of 8 bytes.
    /// </summary>
    public byte[] ToBytes()
    {
        using var json = new MemoryStream();
        // Relaxed escaping keeps config JSON and non-ASCII names readable; it is still valid JSON.
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (Metadata.Count > 0)
            {
                w.WriteStartObject(MetadataKey);
                foreach (var (k, v) in Metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }

            foreach (var e in Entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", SafetensorsDTypes.Name(e.DType));
                w.WriteStartArray("shape");
                foreach (var d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        var padding = (int)((8 - (json.Length % 8)) % 8);
        for (var i = 0; i < padding; i++) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    /// <summary>
    /// Parses and validates a header read from <paramref name="file"/> whose data section holds
    /// <paramref name="dataLength"/> bytes; every problem throws <see cref="CheckpointException"/>.
    /// </summary>
    public static SafetensorsHeader Parse(string file, ReadOnlySpan<byte> json, long dataLength) =>
        SafetensorsHeaderParser.Parse(file, json, dataLength);

    /// <summary>The header's JSON text (for diagnostics).</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToBytes()).TrimEnd();
}
