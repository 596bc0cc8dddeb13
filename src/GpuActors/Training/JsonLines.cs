using System.Text.Json;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Appends JSON objects to a file, one per line, flushed per line so a crash loses at most the
/// line being written and another process (a dashboard, <c>tail -f</c>) sees each as it lands.
/// </summary>
internal sealed class JsonLines : IDisposable
{
    private readonly FileStream? stream;
    private readonly Utf8JsonWriter? writer;

    /// <summary>Appends to <paramref name="path"/>; null writes nowhere (runs without a directory).</summary>
    public JsonLines(string? path)
    {
        if (path is null) return;
        stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        writer = new Utf8JsonWriter(stream);
    }

    /// <summary>Writes one object whose members <paramref name="write"/> adds.</summary>
    public void Write(Action<Utf8JsonWriter> write)
    {
        if (writer is null || stream is null) return;
        writer.Reset(stream);
        writer.WriteStartObject();
        write(writer);
        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
        stream.Flush();
    }

    public void Dispose()
    {
        writer?.Dispose();
        stream?.Dispose();
    }
}
