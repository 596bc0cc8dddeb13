using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class ColorJitterTests
{
    [Fact]
    public void Brightness_multiplies_and_clamps_to_one()
    {
        float[] image = [0f, 0.25f, 0.5f, 0.8f];

        ColorJitter.Brighten(image, 1.5f);

        Assert.Equal([0f, 0.375f, 0.75f, 1f], image);
    }

    [Fact]
    public void Contrast_blends_with_the_mean_grey_level_and_clamps()
    {
        // Mean 0.5; factor 2: 2x − 0.5.
        float[] image = [0.1f, 0.4f, 0.6f, 0.9f];

        ColorJitter.Contrast(image, new ImageShape(1, 2, 2), 2f);

        Assert.Equal([0f, 0.3f, 0.7f, 1f], image, new FloatTolerance(1e-6f));
    }

    [Fact]
    public void Mean_grey_of_rgb_uses_luma_weights()
    {
        var shape = new ImageShape(3, 1, 2);
        float[] image = [1f, 1f, 0f, 0f, 0.5f, 0.5f]; // R = 1, G = 0, B = 0.5

        var mean = ColorJitter.MeanGrey(image, shape);

        Assert.Equal(0.299f + 0.114f * 0.5f, mean, 1e-6f);
    }

    [Fact]
    public void Factor_lies_in_one_minus_s_to_one_plus_s_and_never_below_zero()
    {
        var rng = new Random(0);
        var small = Enumerable.Range(0, 1000).Select(_ => ColorJitter.Factor(0.2f, rng)).ToArray();
        var large = Enumerable.Range(0, 1000).Select(_ => ColorJitter.Factor(1.5f, rng)).ToArray();

        Assert.All(small, f => Assert.InRange(f, 0.8f, 1.2f));
        Assert.All(large, f => Assert.InRange(f, 0f, 2.5f));
        Assert.True(small.Min() < 0.82f && small.Max() > 1.18f);
    }

    [Fact]
    public void Zero_strengths_are_identity()
    {
        var shape = new ImageShape(1, 2, 2);
        float[] images = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f];
        var before = images.ToArray();

        ColorJitter.Apply(images, shape, [0f, 0f], [0f, 0f], new Random(0));

        Assert.Equal(before, images);
    }

    [Fact]
    public void Brightness_jitter_scales_each_image_by_one_factor_in_range()
    {
        var shape = new ImageShape(1, 2, 2);
        float[] images = [0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.2f, 0.3f, 0.4f];

        ColorJitter.Apply(images, shape, [0.3f, 0f], [0f, 0f], new Random(3));

        var factor = images[0] / 0.1f;
        Assert.InRange(factor, 0.7f, 1.3f);
        Assert.Equal([0.1f * factor, 0.2f * factor, 0.3f * factor, 0.4f * factor], images[..4], new FloatTolerance(1e-6f));
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], images[4..]);
    }

    [Fact]
    public void Contrast_jitter_keeps_the_mean_of_an_unclamped_image()
    {
        var shape = new ImageShape(1, 2, 2);
        float[] images = [0.4f, 0.45f, 0.55f, 0.6f];

        ColorJitter.Apply(images, shape, [0f], [0.5f], new Random(3));

        Assert.Equal(0.5f, images.Average(), 1e-6f);
        Assert.NotEqual(0.4f, images[0]);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
