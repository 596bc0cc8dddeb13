using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// An image folder decoded once, in one file (<c>HSIMGC01</c>, a little-endian int32 header
/// length, a JSON header, then the uint8 pixels (N, C, S, S)), read whole into memory by later
/// loads. It lives in the user's cache (<see cref="DefaultDirectory"/>), not a run directory:
/// every run, every member of a population run and every <c>eval</c> of the folder share it.
/// One file per folder and size request; its key hashes each file's relative path, size and
/// modification time with the preprocessing settings, so a changed, added or removed file (or
/// a new decoder version) makes it stale and the next load decodes again and replaces it.
/// </summary>
internal static class ImageFolderCache
{
    /// <summary>Bump when decoding changes what a file turns into, so old caches go stale.</summary>
    public const string Version = "hyperswarm-image-cache/1";

    private static ReadOnlySpan<byte> Magic => "HSIMGC01"u8;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    // One decode per cache file at a time in this process: members of a population run start
    // together, and the first decodes while the others wait and then read its file.
    private static readonly ConcurrentDictionary<string, object> Locks = new(StringComparer.Ordinal);

    /// <summary><c>$XDG_CACHE_HOME/hyperswarm/image-folders</c>, else <c>~/.cache/hyperswarm/image-folders</c>.</summary>
    public static string DefaultDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathFullyQualified(xdg) ? xdg
            : home.Length > 0 ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(root, "hyperswarm", "image-folders");
    }

    /// <summary>The cache file in <paramref name="cacheDirectory"/> of folder <paramref name="root"/> decoded at <paramref name="size"/> (null: chosen from the data).</summary>
    public static string PathFor(string cacheDirectory, string root, int? size)
    {
        var folder = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)))))[..16];
        return Path.Combine(cacheDirectory, $"{folder}-{(size is { } s ? $"s{s}" : "auto")}.hsimg");
    }

    /// <summary>The lock to hold while reading, decoding and writing <paramref name="path"/>.</summary>
    public static object LockFor(string path) => Locks.GetOrAdd(path, _ => new object());

    /// <summary>What a cache file must have been written for: the decoder version, the size request and every listed file.</summary>
    public static string Key(ImageFolderLayout layout, int? size)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var text = new StringBuilder()
            .Append(Version).Append('\n')
            .Append($"{ImagePreprocessing.ShorterSideCentreCrop};exif;{ImagePreprocessing.White};size={size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "auto"}\n");
        foreach (var f in layout.Files) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{f.RelativePath}\t{f.Length}\t{f.LastWriteTicks}\n");
        foreach (var s in layout.Strays) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{s.Path}\tstray\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// The folder cached at <paramref name="path"/> under <paramref name="key"/> (and at side
    /// <paramref name="size"/> if given: checked before the pixels are read); null when there is
    /// none, it is stale, or it is damaged (then <paramref name="notice"/> says so and it is replaced).
    /// </summary>
    public static DecodedImageFolder? TryRead(string path, string key, Action<string>? notice, int? size = null)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> prefix = stackalloc byte[Magic.Length + 4];
            file.ReadExactly(prefix);
            var headerLength = BinaryPrimitives.ReadInt32LittleEndian(prefix[Magic.Length..]);
            if (!prefix[..Magic.Length].SequenceEqual(Magic) || headerLength < 2 || headerLength > file.Length - prefix.Length)
            {
                return Damaged(path, "it does not start with a cache header", notice);
            }

            var headerBytes = new byte[headerLength];
            file.ReadExactly(headerBytes);
            var header = JsonSerializer.Deserialize<CacheHeader>(headerBytes, Json);
            if (header is null || header.Key != key) return null; // stale: the folder or the settings changed
            if (size is { } side && header.ImageSize != side) return null;

            var shape = new ImageShape(header.Channels, header.ImageSize, header.ImageSize);
            var expected = (long)header.Images.Length * shape.Size;
            if (shape.Size < 1 || file.Length - file.Position != expected || header.Images.Any(i => i.Label < 0 || i.Label >= header.Classes.Length))
            {
                return Damaged(path, $"its header does not match its {file.Length} bytes", notice);
            }

            var pixels = GC.AllocateUninitializedArray<byte>((int)expected);
            file.ReadExactly(pixels);
            return new DecodedImageFolder
            {
                Classes = header.Classes,
                Shape = shape,
                Pixels = pixels,
                Images = [.. header.Images.Select(i => new DecodedImage(i.Path, i.Label, i.Split))],
                Skipped = header.Skipped,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return Damaged(path, e.Message, notice);
        }
    }

    /// <summary>Writes <paramref name="folder"/> atomically; a failure is a notice, not an error (the next load decodes again).</summary>
    public static void Write(string path, string key, DecodedImageFolder folder, Action<string>? notice)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var header = new CacheHeader(key, folder.Shape.Channels, folder.Shape.Height, [.. folder.Classes],
            [.. folder.Images.Select(i => new CacheImage(i.RelativePath, i.Label, i.Split))], [.. folder.Skipped]);
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAsync(path, async (stream, ct) =>
            {
                var prefix = new byte[Magic.Length + 4];
                Magic.CopyTo(prefix);
                BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(Magic.Length), headerBytes.Length);
                await stream.WriteAsync(prefix, ct).ConfigureAwait(false);
                await stream.WriteAsync(headerBytes, ct).ConfigureAwait(false);
                await stream.WriteAsync(folder.Pixels, ct).ConfigureAwait(false);
            }, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            notice?.Invoke($"could not write the image cache {path} ({e.Message}); the next run decodes the folder again");
        }
    }

    private static DecodedImageFolder? Damaged(string path, string why, Action<string>? notice)
    {
        notice?.Invoke($"ignored the damaged image cache {path} ({why}); decoding the folder again");
        return null;
    }

    private sealed record CacheHeader(string Key, int Channels, int ImageSize, string[] Classes, CacheImage[] Images, SkippedFile[] Skipped);

    private sealed record CacheImage(string Path, int Label, ImageFolderSplit Split);
}
