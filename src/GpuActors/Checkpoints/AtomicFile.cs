using Microsoft.Win32.SafeHandles;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Replaces a file all at once: write a temp file in the same directory, flush it to disk,
/// rename it over the target, then make the rename durable (see PersistRename).
/// A crash at any point leaves either the old file or the new one, never a mix; a failed
/// write deletes its temp file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Temp files start with this, so directory listings can skip them.</summary>
    public const string TempPrefix = ".tmp-";

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target)!;

        // Same directory: rename(2) is atomic only within one file system.
        var temp = Path.Combine(directory, $"{TempPrefix}{Path.GetFileName(target)}.{Guid.NewGuid():N}");
        var renamed = false;
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
            renamed = true;
        }
        finally
        {
            if (!renamed) File.Delete(temp);
        }

        PersistRename(target);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) to <paramref name="path"/> atomically.</summary>
    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).AsTask(), cancellationToken);

    // The rename must reach the disk too, or a power cut can bring back the old file. POSIX
    // asks for fsync on the directory, but .NET cannot open a directory on Unix (File.OpenHandle
    // fails with EACCES for directories) and P/Invoke belongs in HyperSwarm.Torch only. Instead
    // we fsync the file again under its new name: on journaling file systems (ext4, XFS) fsync
    // commits the journal transaction that holds the rename. Where that is not enough, the worst
    // case after a power cut is the previous, intact checkpoint, which CheckpointDirectory uses.
    private static void PersistRename(string target)
    {
        using SafeFileHandle handle = File.OpenHandle(target, FileMode.Open, FileAccess.Read);
        RandomAccess.FlushToDisk(handle);
    }
}
