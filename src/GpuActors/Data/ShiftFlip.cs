namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The geometric augmentations in one pass, per example: a horizontal flip with probability p,
/// then a shift by (dy, dx) drawn uniformly from [−s, s]² with zero padding (the same as a
/// random crop of a zero-padded image). Out of place because every output pixel reads a
/// different input pixel.
/// </summary>
public static class ShiftFlip
{
    /// <summary>Writes the flipped and shifted <paramref name="source"/> images into <paramref name="destination"/>.</summary>
    /// <param name="source">(B, C, H, W), left unchanged.</param>
    /// <param name="destination">(B, C, H, W), fully overwritten; must not overlap the source.</param>
    /// <param name="shape">(C, H, W) of one image.</param>
    /// <param name="maxShift">(B) largest shift s in pixels per axis; 0 or less does not shift.</param>
    /// <param name="flipProbability">(B) probability of mirroring left-right.</param>
    /// <param name="rng">Draws the shifts and flips.</param>
    public static void Apply(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape,
        ReadOnlySpan<int> maxShift, ReadOnlySpan<float> flipProbability, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var batch = maxShift.Length;
        ImageBatch.Check(source, shape, batch);
        ImageBatch.Check(destination, shape, batch);
        ImageBatch.CheckVector(flipProbability.Length, batch, nameof(flipProbability));
        for (var b = 0; b < batch; b++)
        {
            var s = Math.Min(Math.Max(maxShift[b], 0), Math.Max(shape.Height, shape.Width));
            var dy = s == 0 ? 0 : rng.Next(-s, s + 1);
            var dx = s == 0 ? 0 : rng.Next(-s, s + 1);
            var flip = flipProbability[b] > 0 && rng.NextSingle() < flipProbability[b];
            var from = source.Slice(b * shape.Size, shape.Size);    // (C, H, W)
            var to = destination.Slice(b * shape.Size, shape.Size); // (C, H, W)
            for (var c = 0; c < shape.Channels; c++)
            {
                Plane(from.Slice(c * shape.PlaneSize, shape.PlaneSize), to.Slice(c * shape.PlaneSize, shape.PlaneSize),
                    shape.Height, shape.Width, dy, dx, flip);
            }
        }
    }

    // to[y, x] = flipped(from)[y − dy, x − dx], or 0 outside the image; (H, W) planes.
    private static void Plane(ReadOnlySpan<float> from, Span<float> to, int height, int width, int dy, int dx, bool flip)
    {
        var x0 = Math.Max(0, dx);            // first output column with a source
        var x1 = Math.Min(width, width + dx); // one past the last
        for (var y = 0; y < height; y++)
        {
            var row = to.Slice(y * width, width);
            var sy = y - dy;
            if (sy < 0 || sy >= height || x1 <= x0)
            {
                row.Clear();
                continue;
            }

            row[..x0].Clear();
            row[x1..].Clear();
            var src = from.Slice(sy * width, width);
            if (!flip)
            {
                src.Slice(x0 - dx, x1 - x0).CopyTo(row[x0..x1]);
                continue;
            }

            // flipped(from)[sy, x − dx] = from[sy, W − 1 − (x − dx)]
            for (var x = x0; x < x1; x++)
            {
                row[x] = src[width - 1 - x + dx];
            }
        }
    }
}
