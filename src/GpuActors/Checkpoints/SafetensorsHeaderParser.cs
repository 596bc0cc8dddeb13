using System.Text.Json;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Strict validation of a safetensors header: JSON object shape, known dtypes, integer shapes,
/// offsets consistent with shape × dtype size, contiguous from 0 with no gaps or overlaps,
/// and ending exactly at the end of the file.
/// </summary>
internal static class SafetensorsHeaderParser
{
    public static SafetensorsHeader Parse(string file, ReadOnlySpan<byte> json, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new CheckpointException(file, $"has a header that is not valid JSON ({e.Message.TrimEnd('.')})", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(file, "has a header that is not a JSON object");
            }

            var names = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw new CheckpointException(file, $"names '{property.Name}' twice in its header");
                }

                if (property.Name == SafetensorsHeader.MetadataKey) ReadMetadata(file, property.Value, metadata);
                else entries.Add(ReadEntry(file, property.Name, property.Value));
            }

            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            CheckLayout(file, entries, dataLength);
            return new SafetensorsHeader(entries, metadata);
        }
    }

    private static void ReadMetadata(string file, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(file, "has a __metadata__ entry that is not a JSON object");
        }

        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException(file, $"has a non-string __metadata__ value for '{p.Name}'");
            }

            if (!metadata.TryAdd(p.Name, p.Value.GetString()!))
            {
                throw new CheckpointException(file, $"names the __metadata__ key '{p.Name}' twice");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(string file, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(file, $"has a header entry '{name}' that is not a JSON object");
        }

        string? dtypeName = null;
        long[]? shape = null;
        long[]? offsets = null;
        foreach (var p in value.EnumerateObject())
        {
            switch (p.Name)
            {
                case "dtype" when dtypeName is null && p.Value.ValueKind == JsonValueKind.String:
                    dtypeName = p.Value.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(file, name, "shape", p.Value);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(file, name, "data_offsets", p.Value);
                    break;
                default:
                    throw new CheckpointException(file, $"has an unexpected, repeated or mistyped field '{p.Name}' in tensor '{name}'");
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
        {
            throw new CheckpointException(file, $"lacks dtype, shape or data_offsets for tensor '{name}'");
        }

        return ToEntry(file, name, dtypeName, shape, offsets);
    }

    // The fields are present and well-typed; now they must agree with each other.
    private static SafetensorsEntry ToEntry(string file, string name, string dtypeName, long[] shape, long[] offsets)
    {
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            throw new CheckpointException(file, $"uses the unsupported dtype '{dtypeName}' for tensor '{name}'");
        }

        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw new CheckpointException(file, $"has data_offsets for tensor '{name}' that are not an ordered [begin, end] pair");
        }

        var bytes = TensorBytes.Of(dtype, shape)
            ?? throw new CheckpointException(file, $"has a shape for tensor '{name}' whose size overflows");
        if (offsets[1] - offsets[0] != bytes)
        {
            throw new CheckpointException(file,
                $"gives tensor '{name}' {offsets[1] - offsets[0]} bytes of data but its {dtypeName} shape [{string.Join(", ", shape)}] needs {bytes}");
        }

        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(string file, string name, string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new CheckpointException(file, $"has a {field} for tensor '{name}' that is not an array");
        }

        var result = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var n) || n < 0)
            {
                throw new CheckpointException(file, $"has a {field} for tensor '{name}' that is not a list of non-negative integers");
            }

            result[i++] = n;
        }

        return result;
    }

    private static void CheckLayout(string file, List<SafetensorsEntry> entries, long dataLength)
    {
        long expected = 0;
        foreach (var e in entries)
        {
            if (e.Begin != expected)
            {
                var what = e.Begin > expected ? "a gap" : "an overlap";
                throw new CheckpointException(file, $"has {what} in its data section at tensor '{e.Name}' (offset {e.Begin}, expected {expected})");
            }

            expected = e.End;
        }

        if (expected > dataLength)
        {
            throw new CheckpointException(file, $"is truncated: its header describes {expected} bytes of tensor data but only {dataLength} follow");
        }

        if (expected < dataLength)
        {
            throw new CheckpointException(file, $"has {dataLength - expected} bytes after the last tensor that its header does not describe");
        }
    }
}
