using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class NormalizationTests
{
    [Fact]
    public void Each_channel_is_standardised_with_its_own_mean_and_std()
    {
        var shape = new ImageShape(2, 1, 2);
        var normalization = new Normalization([0.5f, 0.25f], [0.5f, 0.25f]);
        float[] images = [0.5f, 1f, 0.25f, 0.5f, 0f, 0.5f, 0f, 0.75f]; // (B=2, C=2, 1, 2)

        normalization.Apply(images, shape);

        Assert.Equal([0f, 1f, 0f, 1f, -1f, 0f, -1f, 2f], images);
    }

    [Fact]
    public void Measured_statistics_match_the_pixels_on_a_zero_to_one_scale()
    {
        // Two 1×1×2 images: pixels 0, 255, 255, 255 → mean 0.75, std √(0.75·0.25).
        var data = new ImageDataset("d", [0, 255, 255, 255], [0, 1], new ImageShape(1, 1, 2), 2);

        var normalization = Normalization.Measure(data, [0, 1]);

        Assert.Equal(0.75f, normalization.Mean[0], 1e-6f);
        Assert.Equal(MathF.Sqrt(0.1875f), normalization.Std[0], 1e-6f);
    }

    [Fact]
    public void Fashion_mnist_training_statistics_match_the_published_values()
    {
        var sets = DatasetCatalog.Load(TestFiles.FashionMnistDir);

        var normalization = Normalization.Measure(sets.Train, Enumerable.Range(0, sets.Train.Count).ToArray());

        Assert.Equal(0.2860f, normalization.Mean[0], 1e-3f);
        Assert.Equal(0.3530f, normalization.Std[0], 1e-3f);
    }

    [Fact]
    public void Channel_count_mismatch_is_refused()
    {
        var normalization = new Normalization([0.5f], [0.5f]);

        Assert.Throws<ArgumentException>(() => normalization.Apply(new float[12], new ImageShape(3, 2, 2)));
    }
}
