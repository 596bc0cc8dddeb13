using SkiaSharp;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Turns one image file into the model's pixels with SkiaSharp, by <see cref="ImagePreprocessing"/>'s
/// rule: EXIF orientation applied, transparent pixels over white, the shorter side scaled to the
/// output side and the centre square kept. A file that cannot be used gives the reason (a clause)
/// instead; nothing here throws for bad image data. Safe to call from several threads at once.
/// </summary>
internal static class ImageDecoder
{
    private static readonly SKEncodedImageFormat[] Supported =
        [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Gif, SKEncodedImageFormat.Webp];

    // Mipmaps make a large downscale average the pixels it covers instead of aliasing; the
    // codec's own scaled decode (JPEG, WebP) does most of a photo's reduction first.
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    // A header can declare any size (a "decompression bomb"); every decoding thread holds one
    // RGBA bitmap, so each is capped at 256 MB.
    private const long MaxDecodedPixels = 64_000_000;

    // Process-wide and shared by every decode (SkiaSharp returns one static instance).
    private static readonly SKColorSpace Srgb = SKColorSpace.CreateSrgb();

    /// <summary>
    /// Reads only the header of <paramref name="path"/>: the displayed image's shorter side, or
    /// why the file cannot be used.
    /// </summary>
    public static (int ShorterSide, string? Problem) Probe(string path)
    {
        using var codec = Open(path, out var problem);
        return codec is null ? (0, problem) : (Math.Min(codec.Info.Width, codec.Info.Height), null);
    }

    /// <summary>
    /// Decodes <paramref name="path"/> into <paramref name="rgb"/>, (3, size, size) planes, and
    /// says whether every pixel is gray (R = G = B); returns why it could not, or null.
    /// </summary>
    public static string? Decode(string path, int size, Span<byte> rgb, out bool gray)
    {
        gray = false;
        if (rgb.Length != 3 * size * size) throw new ArgumentException($"Need 3·{size}·{size} bytes, got {rgb.Length}.", nameof(rgb));
        using var codec = Open(path, out var problem);
        if (codec is null) return problem;

        using var stored = DecodeNear(codec, size, out problem);
        if (stored is null) return problem;

        using var output = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul, Srgb));
        using (var canvas = new SKCanvas(output))
        using (var image = SKImage.FromBitmap(stored))
        {
            canvas.Clear(SKColors.White);
            var origin = codec.EncodedOrigin;
            var (width, height) = ExifOrientation.DisplaySize(origin, stored.Width, stored.Height);
            // Stored pixels → displayed orientation → scaled and centre-cropped output.
            canvas.SetMatrix(SKMatrix.Concat(CentreCrop.Transform(width, height, size), ExifOrientation.ToDisplay(origin, stored.Width, stored.Height)));
            canvas.DrawImage(image, 0, 0, Sampling, null);
        }

        gray = ToPlanes(output, size, rgb);
        return null;
    }

    // A codec for a supported format, or null and the reason.
    private static SKCodec? Open(string path, out string? problem)
    {
        problem = Readable(path, out var signature);
        if (problem is not null) return null;
        if (!signature)
        {
            // Checked first: SkiaSharp calls a short text file "incomplete input", not "no format".
            problem = "it is not a JPEG, PNG, BMP, GIF or WebP image";
            return null;
        }

        var codec = SKCodec.Create(path, out var result);
        if (codec is null)
        {
            problem = result == SKCodecResult.IncompleteInput ? "its image header is cut short or corrupt" : $"its image header is corrupt ({result})";
            return null;
        }

        if (!Supported.Contains(codec.EncodedFormat))
        {
            problem = $"its format ({codec.EncodedFormat}) is not one of JPEG, PNG, BMP, GIF or WebP";
            codec.Dispose();
            return null;
        }

        if (codec.Info.Width < 1 || codec.Info.Height < 1)
        {
            problem = $"it declares a {codec.Info.Width}x{codec.Info.Height} image";
            codec.Dispose();
            return null;
        }

        return codec;
    }

    // SkiaSharp reads the file natively and reports a missing or unreadable one only as "no
    // codec"; opening it here first names the real problem, and the first bytes tell whether it
    // claims to be an image at all.
    private static string? Readable(string path, out bool signature)
    {
        signature = false;
        try
        {
            using var handle = File.OpenHandle(path);
            if (RandomAccess.GetLength(handle) == 0) return "the file is empty";
            Span<byte> head = stackalloc byte[12];
            var n = RandomAccess.Read(handle, head, 0);
            signature = HasImageSignature(head[..n]);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "permission to read the file is denied";
        }
        catch (IOException e)
        {
            return $"the file cannot be opened ({e.GetType().Name})";
        }
    }

    // The magic numbers of the five formats: JPEG's SOI marker, PNG's 8-byte signature, "GIF8",
    // "BM", and WebP's RIFF container naming WEBP.
    private static bool HasImageSignature(ReadOnlySpan<byte> head) =>
        head.StartsWith([(byte)0xFF, (byte)0xD8, (byte)0xFF])
        || head.StartsWith([(byte)0x89, (byte)'P', (byte)'N', (byte)'G', (byte)0x0D, (byte)0x0A, (byte)0x1A, (byte)0x0A])
        || head.StartsWith("GIF8"u8)
        || head.StartsWith("BM"u8)
        || (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8));

    // The stored image, decoded at the smallest size the codec can make whose shorter side still
    // covers the output (JPEG and WebP decode 1/2, 1/4, 1/8 directly); the full size otherwise.
    private static SKBitmap? DecodeNear(SKCodec codec, int size, out string? problem)
    {
        problem = null;
        var full = codec.Info.Size;
        var dimensions = codec.GetScaledDimensions(Math.Min(1f, (float)size / Math.Min(full.Width, full.Height)));
        if (Math.Min(dimensions.Width, dimensions.Height) < size) dimensions = full;

        if ((long)dimensions.Width * dimensions.Height > MaxDecodedPixels)
        {
            problem = $"it is too large to decode ({full.Width}x{full.Height} pixels; at most {MaxDecodedPixels / 1_000_000} million after the codec's own downscaling)";
            return null;
        }

        var info = new SKImageInfo(dimensions.Width, dimensions.Height, SKColorType.Rgba8888, SKAlphaType.Premul, Srgb);
        var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixels();
        if (pixels == IntPtr.Zero)
        {
            bitmap.Dispose();
            problem = $"there is not enough memory to decode it ({dimensions.Width}x{dimensions.Height} pixels)";
            return null;
        }

        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, pixels);
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }

        if (result == SKCodecResult.Success) return bitmap;

        bitmap.Dispose();

        problem = result == SKCodecResult.IncompleteInput ? "the image data is cut short (a truncated file)" : $"the image data is corrupt ({result})";
        return null;
    }

    // RGBA rows → (3, size, size) planes; true when every pixel is gray.
    private static bool ToPlanes(SKBitmap output, int size, Span<byte> rgb)
    {
        var pixels = output.GetPixelSpan(); // (size, size, 4) RGBA, opaque after the white fill
        var plane = size * size;
        var gray = true;
        for (var y = 0; y < size; y++)
        {
            var row = pixels.Slice(y * output.RowBytes, 4 * size);
            for (var x = 0; x < size; x++)
            {
                byte r = row[4 * x], g = row[4 * x + 1], b = row[4 * x + 2];
                var i = y * size + x;
                rgb[i] = r;
                rgb[plane + i] = g;
                rgb[2 * plane + i] = b;
                gray &= r == g && g == b;
            }
        }

        return gray;
    }
}
