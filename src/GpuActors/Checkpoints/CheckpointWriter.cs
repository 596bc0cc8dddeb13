namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Writes a <see cref="CheckpointContent"/> as a safetensors file sealed with a
/// <see cref="CheckpointChecksum"/>. Needs no libtorch: call it from any thread once the
/// content has been captured on the actor thread.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public static Task WriteAsync(string path, CheckpointContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var header = Seal(content);
        return AtomicFile.WriteAsync(path, (stream, ct) => WriteSealedAsync(stream, header, content, ct), cancellationToken);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="stream"/> as it is (not atomic).</summary>
    public static Task WriteToAsync(Stream stream, CheckpointContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        return WriteSealedAsync(stream, Seal(content), content, cancellationToken);
    }

    // Hashing the in-memory tensors before writing, rather than patching the header
    // afterwards, keeps the writer a single forward pass that works on any stream.
    private static byte[] Seal(CheckpointContent content)
    {
        var metadata = content.HeaderMetadata();
        metadata[CheckpointChecksum.MetadataKey] = CheckpointChecksum.Placeholder;
        var header = SafetensorsHeader.Create(content.Tensors, metadata).ToBytes();
        CheckpointChecksum.Seal(header, content.Tensors.Select(t => t.Tensor.Data));
        return header;
    }

    private static Task WriteSealedAsync(Stream stream, byte[] header, CheckpointContent content, CancellationToken cancellationToken) =>
        SafetensorsWriter.WriteAsync(stream, header, content.Tensors.Select(t => t.Tensor.Data), cancellationToken);
}
