using System.Buffers.Binary;
using SkiaSharp;

namespace HyperSwarm.GpuActors.Tests.Data;

/// <summary>
/// Encodes small real image files for the image-folder tests: PNG, JPEG and WebP with
/// SkiaSharp's encoders; BMP and GIF (which SkiaSharp only decodes) written by hand from their
/// specifications; and a JPEG with an EXIF orientation tag spliced in.
/// </summary>
internal static class ImageFiles
{
    /// <summary>A <paramref name="width"/>×<paramref name="height"/> image whose pixel (x, y) is <paramref name="color"/>(x, y), encoded.</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int width, int height, Func<int, int, SKColor> color, int quality = 95)
    {
        if (format == SKEncodedImageFormat.Bmp) return Bmp(width, height, color);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++) bitmap.SetPixel(x, y, color(x, y));
        }

        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"SkiaSharp cannot encode {format}.");
        return data.ToArray();
    }

    /// <summary>A solid image.</summary>
    public static byte[] Solid(SKEncodedImageFormat format, int width, int height, SKColor color) => Encode(format, width, height, (_, _) => color);

    /// <summary>
    /// A 24-bit uncompressed BMP: the 14-byte file header, the 40-byte BITMAPINFOHEADER, then
    /// rows bottom-up as B, G, R, each padded to a multiple of 4 bytes.
    /// </summary>
    public static byte[] Bmp(int width, int height, Func<int, int, SKColor> color)
    {
        var rowBytes = (3 * width + 3) / 4 * 4;
        var bytes = new byte[54 + rowBytes * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);  // pixel data offset
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);  // info header size
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height); // positive: bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);   // planes
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);  // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), rowBytes * height);
        for (var y = 0; y < height; y++)
        {
            var row = bytes.AsSpan(54 + (height - 1 - y) * rowBytes);
            for (var x = 0; x < width; x++)
            {
                var c = color(x, y);
                row[3 * x] = c.Blue;
                row[3 * x + 1] = c.Green;
                row[3 * x + 2] = c.Red;
            }
        }

        return bytes;
    }

    /// <summary>
    /// A GIF89a whose pixel (x, y) is palette entry <paramref name="index"/>(x, y) (below 128).
    /// The LZW stream holds only literal codes: with a 7-bit minimum code size every code is 8
    /// bits wide as long as a clear code comes before the decoder's table reaches 256 entries.
    /// </summary>
    public static byte[] Gif(int width, int height, SKColor[] palette, Func<int, int, int> index)
    {
        const int MinCodeSize = 7;
        const int Clear = 1 << MinCodeSize, End = Clear + 1, LiteralsPerClear = 100;
        var output = new List<byte>();
        output.AddRange("GIF89a"u8.ToArray());
        output.AddRange(Le16(width));
        output.AddRange(Le16(height));
        output.AddRange([0xF6, 0, 0]); // global table of 2^(6+1) = 128 colours, 8-bit resolution
        for (var i = 0; i < Clear; i++)
        {
            var c = i < palette.Length ? palette[i] : SKColors.Black;
            output.AddRange([c.Red, c.Green, c.Blue]);
        }

        output.Add(0x2C); // image descriptor
        output.AddRange(Le16(0));
        output.AddRange(Le16(0));
        output.AddRange(Le16(width));
        output.AddRange(Le16(height));
        output.Add(0);
        output.Add(MinCodeSize);

        var codes = new List<byte>();
        for (var p = 0; p < width * height; p++)
        {
            if (p % LiteralsPerClear == 0) codes.Add(Clear);
            codes.Add((byte)index(p % width, p / width));
        }

        codes.Add(End);
        for (var start = 0; start < codes.Count; start += 255)
        {
            var block = codes.Skip(start).Take(255).ToArray();
            output.Add((byte)block.Length);
            output.AddRange(block);
        }

        output.Add(0);    // block terminator
        output.Add(0x3B); // trailer
        return [.. output];
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an APP1 EXIF segment right after its SOI marker holding one
    /// IFD entry: Orientation (tag 0x0112, SHORT) = <paramref name="orientation"/>.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        if (jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new ArgumentException("Not a JPEG.", nameof(jpeg));
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD at offset 8
            0, 1,                                     // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, // Orientation, SHORT, count 1, value
            0, 0, 0, 0,                               // no next IFD
        ];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    private static byte[] Le16(int value) => [(byte)value, (byte)(value >> 8)];
}
