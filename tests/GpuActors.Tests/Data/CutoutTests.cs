using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class CutoutTests
{
    private static readonly ImageShape Shape = new(2, 10, 12);

    [Theory]
    [InlineData(0, 3)]
    [InlineData(5, 0)]
    public void Zero_length_or_zero_holes_is_identity(int length, int holes)
    {
        var images = Ones(batch: 2);

        Cutout.Apply(images, Shape, [length, length], [holes, holes], new Random(0));

        Assert.All(images, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void One_hole_zeroes_an_l_by_l_square_in_every_channel_unless_clipped()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var images = Ones(batch: 1);

            Cutout.Apply(images, Shape, [4], [1], new Random(seed));

            var (rows, cols) = ZeroBox(images.AsSpan(0, Shape.PlaneSize));
            Assert.InRange(rows.Count, 2, 4); // a centre on the border keeps half of the side
            Assert.InRange(cols.Count, 2, 4);
            Assert.Equal(rows.Count * cols.Count, images.AsSpan(0, Shape.PlaneSize).Count(0f));
            Assert.Equal(images.AsSpan(0, Shape.PlaneSize).ToArray(), images.AsSpan(Shape.PlaneSize, Shape.PlaneSize).ToArray());
            if (rows[0] > 0 && rows[^1] < Shape.Height - 1 && cols[0] > 0 && cols[^1] < Shape.Width - 1)
            {
                Assert.Equal(16, rows.Count * cols.Count);
            }
        }
    }

    [Fact]
    public void Hole_larger_than_the_image_clears_it()
    {
        var images = Ones(batch: 1);

        Cutout.Apply(images, Shape, [30], [1], new Random(1));

        Assert.All(images, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Each_example_uses_its_own_length_and_hole_count()
    {
        var images = Ones(batch: 3);

        Cutout.Apply(images, Shape, [0, 1, 1], [2, 0, 3], new Random(2));

        Assert.Equal(0, Zeros(images, 0));
        Assert.Equal(0, Zeros(images, 1));
        Assert.InRange(Zeros(images, 2), 2, 6); // three 1×1 holes in two channels, some may coincide
    }

    [Fact]
    public void Same_seed_cuts_the_same_holes()
    {
        var a = Ones(batch: 4);
        var b = Ones(batch: 4);

        Cutout.Apply(a, Shape, [3, 3, 3, 3], [2, 2, 2, 2], new Random(9));
        Cutout.Apply(b, Shape, [3, 3, 3, 3], [2, 2, 2, 2], new Random(9));

        Assert.Equal(a, b);
    }

    private static float[] Ones(int batch) => Enumerable.Repeat(1f, batch * Shape.Size).ToArray();

    private static int Zeros(float[] images, int example) => images.AsSpan(example * Shape.Size, Shape.Size).Count(0f);

    // Rows and columns of one (H, W) plane that hold a zero.
    private static (List<int> Rows, List<int> Cols) ZeroBox(ReadOnlySpan<float> plane)
    {
        var rows = new SortedSet<int>();
        var cols = new SortedSet<int>();
        for (var i = 0; i < plane.Length; i++)
        {
            if (plane[i] == 0f)
            {
                rows.Add(i / Shape.Width);
                cols.Add(i % Shape.Width);
            }
        }

        return ([.. rows], [.. cols]);
    }
}
