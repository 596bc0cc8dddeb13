using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.GpuActors.Tests.Data;

// One file read for a model gets the channels the model was trained with, as its folder's
// files did: BT.601 luma for a gray model, repeated planes for a colour model.
public sealed class PreprocessedImageTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_gray_model_reads_a_colour_file_as_its_luma()
    {
        var path = files.Write("orange.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 20, 12, new SKColor(240, 120, 10)));
        var gray = new byte[8 * 8];

        var problem = PreprocessedImage.TryRead(path, new ImagePreprocessing { ImageSize = 8, Channels = 1 }, gray);

        Assert.Null(problem);
        Assert.All(gray, p => Assert.Equal((299 * 240 + 587 * 120 + 114 * 10 + 500) / 1000, p));
    }

    [Fact]
    public void A_colour_model_reads_a_gray_file_as_three_equal_planes()
    {
        var path = files.Write("gray.png", ImageFiles.Solid(SKEncodedImageFormat.Png, 9, 9, new SKColor(77, 77, 77)));
        var rgb = new byte[3 * 4 * 4];

        var problem = PreprocessedImage.TryRead(path, new ImagePreprocessing { ImageSize = 4, Channels = 3 }, rgb);

        Assert.Null(problem);
        Assert.All(rgb, p => Assert.Equal(77, p));
    }

    [Fact]
    public void An_unusable_file_gives_its_reason_and_leaves_no_pixels_written()
    {
        var path = files.Write("empty.jpg", []);
        var pixels = new byte[3 * 4 * 4];

        var problem = PreprocessedImage.TryRead(path, new ImagePreprocessing { ImageSize = 4, Channels = 3 }, pixels);

        Assert.Equal("the file is empty", problem);
        Assert.All(pixels, p => Assert.Equal(0, p));
    }
}
