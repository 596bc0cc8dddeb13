using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class ChannelConversionTests
{
    [Fact]
    public void Rgb_becomes_bt601_luma()
    {
        // Two 1×2 images, planes R, G, B: pure red and white; then pure green and pure blue.
        byte[] rgb = [255, 255, 0, 255, 0, 255, /* image 2 */ 0, 0, 255, 0, 0, 255];

        var gray = ChannelConversion.Convert(rgb, new ImageShape(3, 1, 2), 1);

        Assert.Equal([76, 255, 150, 29], gray); // 0.299·255, white, 0.587·255, 0.114·255, rounded
    }

    [Fact]
    public void Gray_is_repeated_into_three_planes_and_matching_channels_are_left_alone()
    {
        byte[] gray = [10, 20, /* image 2 */ 30, 40];

        Assert.Equal([10, 20, 10, 20, 10, 20, 30, 40, 30, 40, 30, 40], ChannelConversion.Convert(gray, new ImageShape(1, 1, 2), 3));
        Assert.Same(gray, ChannelConversion.Convert(gray, new ImageShape(1, 1, 2), 1));
    }
}
