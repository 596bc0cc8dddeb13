namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Cutout (DeVries &amp; Taylor 2017) with per-example hole size and count: each hole is an
/// L×L square, centred on a uniformly drawn pixel and clipped at the borders, set to zero in
/// every channel. Runs on host float images before normalisation, so a hole reads as black,
/// like the zero padding of <see cref="ShiftFlip"/> and the Fashion-MNIST background.
/// </summary>
public static class Cutout
{
    /// <summary>Cuts <paramref name="holes"/>[b] holes of side <paramref name="length"/>[b] into image b.</summary>
    /// <param name="images">(B, C, H, W), modified in place; B = <paramref name="length"/>.Length.</param>
    /// <param name="shape">(C, H, W) of one image.</param>
    /// <param name="length">(B) hole side in pixels; 0 or less cuts nothing.</param>
    /// <param name="holes">(B) number of holes; 0 or less cuts nothing.</param>
    /// <param name="rng">Draws the hole centres.</param>
    public static void Apply(Span<float> images, ImageShape shape, ReadOnlySpan<int> length, ReadOnlySpan<int> holes, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var batch = length.Length;
        ImageBatch.Check(images, shape, batch);
        ImageBatch.CheckVector(holes.Length, batch, nameof(holes));
        for (var b = 0; b < batch; b++)
        {
            var l = length[b];
            if (l <= 0)
            {
                continue;
            }

            var image = images.Slice(b * shape.Size, shape.Size); // (C, H, W)
            for (var h = 0; h < holes[b]; h++)
            {
                var y0 = rng.Next(shape.Height) - l / 2;
                var x0 = rng.Next(shape.Width) - l / 2;
                Clear(image, shape, Math.Max(0, y0), Math.Min(shape.Height, y0 + l), Math.Max(0, x0), Math.Min(shape.Width, x0 + l));
            }
        }
    }

    // Zeroes rows [y0, y1) × columns [x0, x1) of every channel.
    private static void Clear(Span<float> image, ImageShape shape, int y0, int y1, int x0, int x1)
    {
        if (x1 <= x0)
        {
            return;
        }

        for (var c = 0; c < shape.Channels; c++)
        {
            for (var y = y0; y < y1; y++)
            {
                image.Slice(c * shape.PlaneSize + y * shape.Width + x0, x1 - x0).Clear();
            }
        }
    }
}
