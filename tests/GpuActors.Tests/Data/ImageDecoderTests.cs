using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class ImageDecoderTests : IDisposable
{
    private const int Size = 16;
    private static readonly SKColor Red = new(220, 30, 30);
    private static readonly SKColor Blue = new(30, 30, 220);

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    // Left half red, right half blue.
    private static SKColor Halves(int x, int width) => x < width / 2 ? Red : Blue;

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    [InlineData(SKEncodedImageFormat.Bmp)]
    public void Every_supported_format_decodes_to_its_pixels(SKEncodedImageFormat format)
    {
        var path = files.Write($"img.{format}", ImageFiles.Encode(format, 32, 32, (x, _) => Halves(x, 32)));

        var (rgb, gray) = Decode(path);

        Assert.False(gray);
        AssertColor(Red, rgb, x: 2, y: 8);
        AssertColor(Blue, rgb, x: 13, y: 8);
    }

    [Fact]
    public void A_gif_decodes_to_its_palette_colours()
    {
        var path = files.Write("img.gif", ImageFiles.Gif(32, 32, [Red, Blue], (x, _) => x < 16 ? 0 : 1));

        var (rgb, _) = Decode(path);

        AssertColor(Red, rgb, x: 2, y: 8);
        AssertColor(Blue, rgb, x: 13, y: 8);
    }

    [Fact]
    public void A_wide_image_keeps_its_aspect_and_only_the_centre_square()
    {
        // Thirds: red | green | blue. Scaled to height 16 the middle third is exactly the output.
        var path = files.Write("wide.png", ImageFiles.Encode(SKEncodedImageFormat.Png, 96, 32, (x, _) => x < 32 ? Red : x < 64 ? SKColors.Lime : Blue));

        var (rgb, _) = Decode(path);

        for (var x = 1; x < Size - 1; x++) AssertColor(SKColors.Lime, rgb, x, Size / 2);
    }

    [Fact]
    public void A_tall_image_keeps_its_centre_square_too()
    {
        var path = files.Write("tall.png", ImageFiles.Encode(SKEncodedImageFormat.Png, 20, 60, (_, y) => y < 20 ? Red : y < 40 ? SKColors.Lime : Blue));

        var (rgb, _) = Decode(path);

        for (var y = 1; y < Size - 1; y++) AssertColor(SKColors.Lime, rgb, Size / 2, y);
    }

    [Fact]
    public void A_small_image_is_scaled_up()
    {
        var path = files.Write("small.bmp", ImageFiles.Bmp(4, 4, (x, _) => Halves(x, 4)));

        var (rgb, _) = Decode(path);

        AssertColor(Red, rgb, x: 0, y: 0);
        AssertColor(Blue, rgb, x: Size - 1, y: Size - 1);
    }

    [Fact]
    public void A_large_downscale_averages_instead_of_aliasing()
    {
        // A one-pixel checkerboard: point sampling would give pure black or white.
        var path = files.Write("checker.png", ImageFiles.Encode(SKEncodedImageFormat.Png, 256, 256, (x, y) => (x + y) % 2 == 0 ? SKColors.White : SKColors.Black));

        var (rgb, gray) = Decode(path);

        Assert.True(gray);
        Assert.All(rgb, v => Assert.InRange(v, 100, 155));
    }

    [Theory]
    [InlineData(6, true)]  // row 0 is the right side: turn clockwise, the left (red) half goes on top
    [InlineData(8, false)] // row 0 is the left side: turn anticlockwise, the left half goes to the bottom
    public void A_jpeg_exif_orientation_is_applied(int orientation, bool redOnTop)
    {
        var jpeg = ImageFiles.Encode(SKEncodedImageFormat.Jpeg, 64, 32, (x, _) => Halves(x, 64));
        var path = files.Write("rotated.jpg", ImageFiles.WithExifOrientation(jpeg, orientation));

        var (rgb, _) = Decode(path);

        AssertColor(redOnTop ? Red : Blue, rgb, x: Size / 2, y: 2);
        AssertColor(redOnTop ? Blue : Red, rgb, x: Size / 2, y: Size - 3);
    }

    [Fact]
    public void Without_an_orientation_tag_the_same_jpeg_stays_as_stored()
    {
        var path = files.Write("plain.jpg", ImageFiles.Encode(SKEncodedImageFormat.Jpeg, 64, 32, (x, _) => Halves(x, 64)));

        var (rgb, _) = Decode(path);

        AssertColor(Red, rgb, x: 2, y: Size / 2);
        AssertColor(Blue, rgb, x: Size - 3, y: Size / 2);
    }

    [Fact]
    public void Transparent_pixels_become_white()
    {
        var path = files.Write("clear.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 8, 8, SKColors.Transparent));

        var (rgb, gray) = Decode(path);

        Assert.True(gray);
        Assert.All(rgb, v => Assert.Equal(255, v));
    }

    [Fact]
    public void Gray_pixels_are_reported_gray_and_a_colour_one_is_not()
    {
        var grayPath = files.Write("gray.png", ImageFiles.Encode(SKEncodedImageFormat.Png, 20, 20, (x, y) => new SKColor((byte)(x * 12), (byte)(x * 12), (byte)(x * 12))));
        var tinted = files.Write("tinted.png", ImageFiles.Encode(SKEncodedImageFormat.Png, 20, 20, (x, y) => x == 10 && y == 10 ? new SKColor(90, 91, 90) : SKColors.Gray));

        Assert.True(Decode(grayPath).Gray);
        Assert.False(Decode(tinted).Gray);
    }

    public static TheoryData<string, byte[], string> Unusable => new()
    {
        { "empty.png", [], "the file is empty" },
        { "notes.txt", "just some text, not an image"u8.ToArray(), "it is not a JPEG, PNG, BMP, GIF or WebP image" },
        { "short.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 9], "its image header is cut short or corrupt" },
        { "garbage.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))], "its image header is" },
        { "garbage.jpg", [0xFF, 0xD8, 0xFF, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))], "" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void An_unusable_file_gives_a_reason_instead_of_pixels(string name, byte[] bytes, string reason)
    {
        var path = files.Write(name, bytes);

        var problem = ImageDecoder.Decode(path, Size, new byte[3 * Size * Size], out _);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.Equal(problem, ImageDecoder.Probe(path).Problem);
    }

    [Fact]
    public void A_truncated_jpeg_is_refused_as_cut_short()
    {
        var jpeg = ImageFiles.Encode(SKEncodedImageFormat.Jpeg, 64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        var path = files.Write("cut.jpg", jpeg[..(jpeg.Length / 2)]);

        var problem = ImageDecoder.Decode(path, Size, new byte[3 * Size * Size], out _);

        Assert.Equal("the image data is cut short (a truncated file)", problem);
    }

    [Fact]
    public void A_header_declaring_a_huge_image_is_refused_before_any_pixel_memory()
    {
        var bmp = ImageFiles.Bmp(2, 2, (_, _) => Red);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 20_000); // width
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), 20_000); // height: 400 million pixels
        var path = files.Write("bomb.bmp", bmp);

        var problem = ImageDecoder.Decode(path, Size, new byte[3 * Size * Size], out _);

        Assert.Equal("it is too large to decode (20000x20000 pixels; at most 64 million after the codec's own downscaling)", problem);
    }

    [Fact]
    public void Probe_reads_the_shorter_side_from_the_header()
    {
        var path = files.Write("wide.jpg", ImageFiles.Solid(SKEncodedImageFormat.Jpeg, 90, 30, Red));

        Assert.Equal((30, (string?)null), ImageDecoder.Probe(path));
    }

    private static (byte[] Rgb, bool Gray) Decode(string path)
    {
        var rgb = new byte[3 * Size * Size];
        var problem = ImageDecoder.Decode(path, Size, rgb, out var gray);
        Assert.Null(problem);
        return (rgb, gray);
    }

    // Lossy formats (JPEG, WebP) move colours a little, and edges blur: compare loosely, away from edges.
    private static void AssertColor(SKColor expected, byte[] rgb, int x, int y)
    {
        var i = y * Size + x;
        var plane = Size * Size;
        var actual = (R: rgb[i], G: rgb[plane + i], B: rgb[2 * plane + i]);
        Assert.True(Math.Abs(actual.R - expected.Red) <= 24 && Math.Abs(actual.G - expected.Green) <= 24 && Math.Abs(actual.B - expected.Blue) <= 24,
            $"pixel ({x}, {y}) is {actual}, expected about {expected}");
    }
}
