using HyperSwarm.GpuActors.Data;
using SkiaSharp;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class ExifOrientationTests
{
    private const int W = 40, H = 10;

    /// <summary>Where the stored image's top-left corner is displayed, for each tag (EXIF 2.3, Orientation).</summary>
    public static TheoryData<SKEncodedOrigin, float, float> TopLeftCorner => new()
    {
        { SKEncodedOrigin.TopLeft, 0, 0 },
        { SKEncodedOrigin.TopRight, W, 0 },
        { SKEncodedOrigin.BottomRight, W, H },
        { SKEncodedOrigin.BottomLeft, 0, H },
        { SKEncodedOrigin.LeftTop, 0, 0 },
        { SKEncodedOrigin.RightTop, H, 0 },
        { SKEncodedOrigin.RightBottom, H, W },
        { SKEncodedOrigin.LeftBottom, 0, W },
    };

    [Theory]
    [MemberData(nameof(TopLeftCorner))]
    public void The_stored_top_left_corner_lands_where_the_tag_says(SKEncodedOrigin origin, float x, float y)
    {
        var matrix = ExifOrientation.ToDisplay(origin, W, H);

        Assert.Equal(new SKPoint(x, y), matrix.MapPoint(0, 0));
    }

    public static TheoryData<SKEncodedOrigin> Origins =>
    [
        SKEncodedOrigin.TopLeft, SKEncodedOrigin.TopRight, SKEncodedOrigin.BottomRight, SKEncodedOrigin.BottomLeft,
        SKEncodedOrigin.LeftTop, SKEncodedOrigin.RightTop, SKEncodedOrigin.RightBottom, SKEncodedOrigin.LeftBottom,
    ];

    [Theory]
    [MemberData(nameof(Origins))]
    public void The_stored_corners_land_on_the_displayed_corners(SKEncodedOrigin origin)
    {
        var matrix = ExifOrientation.ToDisplay(origin, W, H);
        var (width, height) = ExifOrientation.DisplaySize(origin, W, H);
        SKPoint[] displayed = [new(0, 0), new(width, 0), new(0, height), new(width, height)];

        var mapped = new[] { new SKPoint(0, 0), new SKPoint(W, 0), new SKPoint(0, H), new SKPoint(W, H) }.Select(p => matrix.MapPoint(p)).ToArray();

        Assert.Equal(displayed.OrderBy(p => p.X).ThenBy(p => p.Y), mapped.OrderBy(p => p.X).ThenBy(p => p.Y));
    }

    [Fact]
    public void Quarter_turns_swap_width_and_height()
    {
        Assert.Equal((H, W), ExifOrientation.DisplaySize(SKEncodedOrigin.RightTop, W, H));
        Assert.Equal((W, H), ExifOrientation.DisplaySize(SKEncodedOrigin.BottomRight, W, H));
    }

    [Fact]
    public void Centre_crop_scales_the_shorter_side_and_centres_the_longer()
    {
        var matrix = CentreCrop.Transform(60, 20, 10);

        Assert.Equal(new SKPoint(0, 0), matrix.MapPoint(20, 0));  // the middle third starts the output
        Assert.Equal(new SKPoint(10, 10), matrix.MapPoint(40, 20));
    }
}
