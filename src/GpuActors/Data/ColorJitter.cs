namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Brightness and contrast jitter as torchvision's ColorJitter defines them (the STN paper tunes
/// these strengths, ALGORITHMS §1.4), on images with values in [0, 1], brightness first:
/// brightness x ← clamp(f·x, 0, 1); contrast x ← clamp(g·x + (1 − g)·m, 0, 1), m the mean grey
/// level of the image; each factor drawn per example from U[max(0, 1 − s), 1 + s].
/// </summary>
public static class ColorJitter
{
    /// <summary>Jitters every image with its own strengths; a strength of 0 leaves that aspect alone.</summary>
    /// <param name="images">(B, C, H, W) in [0, 1], modified in place.</param>
    /// <param name="shape">(C, H, W) of one image.</param>
    /// <param name="brightness">(B) brightness strengths s ≥ 0.</param>
    /// <param name="contrast">(B) contrast strengths s ≥ 0.</param>
    /// <param name="rng">Draws the factors.</param>
    public static void Apply(Span<float> images, ImageShape shape, ReadOnlySpan<float> brightness, ReadOnlySpan<float> contrast, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var batch = brightness.Length;
        ImageBatch.Check(images, shape, batch);
        ImageBatch.CheckVector(contrast.Length, batch, nameof(contrast));
        for (var b = 0; b < batch; b++)
        {
            var image = images.Slice(b * shape.Size, shape.Size); // (C, H, W)
            if (brightness[b] > 0)
            {
                Brighten(image, Factor(brightness[b], rng));
            }

            if (contrast[b] > 0)
            {
                Contrast(image, shape, Factor(contrast[b], rng));
            }
        }
    }

    /// <summary>A factor uniform in [max(0, 1 − s), 1 + s].</summary>
    public static float Factor(float strength, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var low = Math.Max(0f, 1f - strength);
        return low + (1f + strength - low) * rng.NextSingle();
    }

    /// <summary>x ← clamp(f·x, 0, 1) on one image.</summary>
    public static void Brighten(Span<float> image, float factor) => Affine.ApplyClamped(image, factor, 0f);

    /// <summary>x ← clamp(g·x + (1 − g)·m, 0, 1) on one (C, H, W) image, m its mean grey level.</summary>
    public static void Contrast(Span<float> image, ImageShape shape, float factor)
    {
        Affine.ApplyClamped(image, factor, (1f - factor) * MeanGrey(image, shape));
    }

    /// <summary>Mean of the greyscale image: ITU-R 601 luma (0.299 R + 0.587 G + 0.114 B) for RGB, else the mean over channels.</summary>
    public static float MeanGrey(ReadOnlySpan<float> image, ImageShape shape)
    {
        var plane = shape.PlaneSize;
        float sum;
        if (shape.Channels == 3)
        {
            sum = 0.299f * Affine.Sum(image[..plane]) + 0.587f * Affine.Sum(image.Slice(plane, plane)) + 0.114f * Affine.Sum(image.Slice(2 * plane, plane));
            return sum / plane;
        }

        sum = Affine.Sum(image[..shape.Size]);
        return sum / shape.Size;
    }
}
