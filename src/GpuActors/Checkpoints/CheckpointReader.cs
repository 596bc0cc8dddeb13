using System.Buffers;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Reads checkpoints written by <see cref="CheckpointWriter"/> into host memory, validating
/// the layout and the checksum. Needs no libtorch; load the result into a model with
/// <see cref="CheckpointContent.LoadInto(Models.Module)"/> on the actor thread.
/// </summary>
public static class CheckpointReader
{
    /// <summary>Size of the reusable buffer <see cref="Verify"/> streams data through.</summary>
    public const int VerifyBufferBytes = 1 << 20;

    /// <summary>
    /// Reads <paramref name="path"/>; each tensor's bytes are read once, straight into its
    /// own array. Throws <see cref="CheckpointException"/> when the file is unusable.
    /// </summary>
    public static CheckpointContent Read(string path)
    {
        using var reader = SafetensorsReader.Open(path);
        using var hash = CheckpointChecksum.Begin(reader);
        var content = CheckpointContent.FromHeaderMetadata(reader.Path, reader.Header.Metadata);
        foreach (var entry in reader.Header.Entries)
        {
            if (entry.ByteLength > Array.MaxLength)
            {
                throw new CheckpointException(reader.Path, $"holds tensor '{entry.Name}' of {entry.ByteLength} bytes, more than one host array can take");
            }

            // Uninitialised: every byte is overwritten by the read, zeroing would be a wasted pass.
            var data = GC.AllocateUninitializedArray<byte>((int)entry.ByteLength);
            reader.ReadNext(entry, data);
            hash.AppendData(data);
            content.Add(entry.Name, new HostTensor(entry.DType, entry.Shape.ToArray(), data));
        }

        // Only content whose checksum holds leaves this method.
        CheckpointChecksum.Verify(reader, hash);
        return content;
    }

    /// <summary>
    /// Checks <paramref name="path"/> without keeping its tensors: the data streams through
    /// one pooled buffer. Throws <see cref="CheckpointException"/> when the file is unusable.
    /// </summary>
    public static void Verify(string path)
    {
        using var reader = SafetensorsReader.Open(path);
        using var hash = CheckpointChecksum.Begin(reader);
        _ = CheckpointContent.FromHeaderMetadata(reader.Path, reader.Header.Metadata);
        var buffer = ArrayPool<byte>.Shared.Rent(VerifyBufferBytes);
        try
        {
            foreach (var entry in reader.Header.Entries)
            {
                for (long done = 0; done < entry.ByteLength;)
                {
                    var n = (int)Math.Min(buffer.Length, entry.ByteLength - done);
                    reader.ReadNext(entry, done, buffer.AsSpan(0, n));
                    hash.AppendData(buffer, 0, n);
                    done += n;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        CheckpointChecksum.Verify(reader, hash);
    }
}
