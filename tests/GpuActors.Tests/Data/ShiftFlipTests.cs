using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class ShiftFlipTests
{
    private static readonly ImageShape Shape = new(2, 5, 6);

    [Fact]
    public void No_shift_and_no_flip_copies_the_images()
    {
        var source = Ramp(batch: 2);
        var destination = new float[source.Length];

        ShiftFlip.Apply(source, destination, Shape, [0, 0], [0f, 0f], new Random(0));

        Assert.Equal(source, destination);
    }

    [Fact]
    public void Flip_probability_one_mirrors_every_row_of_every_channel()
    {
        var source = Ramp(batch: 1);
        var destination = new float[source.Length];

        ShiftFlip.Apply(source, destination, Shape, [0], [1f], new Random(0));

        for (var c = 0; c < Shape.Channels; c++)
        {
            for (var y = 0; y < Shape.Height; y++)
            {
                for (var x = 0; x < Shape.Width; x++)
                {
                    Assert.Equal(At(source, c, y, Shape.Width - 1 - x), At(destination, c, y, x));
                }
            }
        }
    }

    [Fact]
    public void Flip_probability_zero_never_flips()
    {
        var source = Ramp(batch: 64);
        var destination = new float[source.Length];

        ShiftFlip.Apply(source, destination, Shape, new int[64], new float[64], new Random(5));

        Assert.Equal(source, destination);
    }

    [Fact]
    public void Flip_probability_one_half_flips_about_half_the_examples()
    {
        const int batch = 400;
        var source = Ramp(batch);
        var destination = new float[source.Length];

        ShiftFlip.Apply(source, destination, Shape, new int[batch], Enumerable.Repeat(0.5f, batch).ToArray(), new Random(5));

        var flipped = Enumerable.Range(0, batch).Count(b => At(destination, 0, 0, 0, b) != At(source, 0, 0, 0, b));
        Assert.InRange(flipped, 160, 240);
    }

    [Fact]
    public void Shift_moves_content_by_at_most_s_pixels_and_pads_with_zeros()
    {
        var source = Enumerable.Repeat(0f, Shape.Size).ToArray();
        source[2 * Shape.Width + 3] = 1f; // one bright pixel at (y 2, x 3) of channel 0
        var seen = new HashSet<(int Dy, int Dx)>();
        for (var seed = 0; seed < 200; seed++)
        {
            var destination = Enumerable.Repeat(9f, Shape.Size).ToArray();

            ShiftFlip.Apply(source, destination, Shape, [2], [0f], new Random(seed));

            var at = Array.IndexOf(destination, 1f);
            Assert.True(at >= 0, "a shift of at most 2 keeps a pixel 2 away from the border inside");
            Assert.Equal(Shape.Size - 1, destination.Count(v => v == 0f));
            seen.Add((at / Shape.Width - 2, at % Shape.Width - 3));
        }

        Assert.All(seen, d => Assert.True(Math.Abs(d.Dy) <= 2 && Math.Abs(d.Dx) <= 2));
        Assert.Equal(25, seen.Count); // every shift in [−2, 2]² occurs
    }

    [Fact]
    public void Shift_larger_than_the_image_can_empty_it()
    {
        var source = Enumerable.Repeat(1f, Shape.Size).ToArray();
        var empty = 0;
        for (var seed = 0; seed < 50; seed++)
        {
            var destination = new float[Shape.Size];
            ShiftFlip.Apply(source, destination, Shape, [100], [0f], new Random(seed));
            empty += destination.All(v => v == 0f) ? 1 : 0;
        }

        Assert.True(empty > 0);
    }

    [Fact]
    public void Same_seed_gives_the_same_output()
    {
        var source = Ramp(batch: 8);
        var a = new float[source.Length];
        var b = new float[source.Length];
        var shifts = Enumerable.Repeat(2, 8).ToArray();
        var flips = Enumerable.Repeat(0.5f, 8).ToArray();

        ShiftFlip.Apply(source, a, Shape, shifts, flips, new Random(4));
        ShiftFlip.Apply(source, b, Shape, shifts, flips, new Random(4));

        Assert.Equal(a, b);
    }

    private static float[] Ramp(int batch) => Enumerable.Range(0, batch * Shape.Size).Select(i => (float)i).ToArray();

    private static float At(float[] images, int c, int y, int x, int b = 0) =>
        images[b * Shape.Size + c * Shape.PlaneSize + y * Shape.Width + x];
}
