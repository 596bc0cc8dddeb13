using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class AugmenterTests
{
    private static readonly ImageShape Shape = new(1, 8, 8);

    [Fact]
    public void All_zero_values_copy_the_batch_unchanged()
    {
        var source = Ramp(batch: 3);
        var destination = new float[source.Length];

        new Augmenter(Shape, seed: 0).Apply(source, destination, 3, new AugmentationValues(4));

        Assert.Equal(source, destination);
    }

    [Fact]
    public void Same_seed_and_values_give_the_same_batches()
    {
        var values = new AugmentationValues(4).Fill(cutoutLength: 3, cutoutHoles: 2, shiftPixels: 2, flipProbability: 0.5f, brightness: 0.3f, contrast: 0.3f);
        var source = Ramp(batch: 4);
        var a = new Augmenter(Shape, seed: 11);
        var b = new Augmenter(Shape, seed: 11);
        var outA = new float[source.Length];
        var outB = new float[source.Length];

        for (var step = 0; step < 3; step++)
        {
            a.Apply(source, outA, 4, values);
            b.Apply(source, outB, 4, values);
            Assert.Equal(outA, outB);
        }

        Assert.NotEqual(source, outA);
    }

    [Fact]
    public void Per_example_values_apply_to_their_own_example_only()
    {
        var values = new AugmentationValues(2);
        values.CutoutLength[1] = 8;
        values.CutoutHoles[1] = 1;
        values.FlipProbability[1] = 1f;
        var source = Ramp(batch: 2);
        var destination = new float[source.Length];

        new Augmenter(Shape, seed: 0).Apply(source, destination, 2, values);

        Assert.Equal(source[..Shape.Size], destination[..Shape.Size]);
        Assert.Contains(0f, destination[Shape.Size..]);
    }

    [Fact]
    public void Values_shorter_than_the_batch_are_refused()
    {
        var source = Ramp(batch: 3);

        Assert.Throws<ArgumentException>(() => new Augmenter(Shape, 0).Apply(source, new float[source.Length], 3, new AugmentationValues(2)));
    }

    // Values in (0, 1] so that the jitter and the holes change them.
    private static float[] Ramp(int batch) => Enumerable.Range(1, batch * Shape.Size).Select(i => i / (float)(batch * Shape.Size)).ToArray();
}
