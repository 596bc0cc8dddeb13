namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Per-channel standardisation x ← (x − mean_c) / std_c on [0, 1] pixel values, the last
/// host step before a batch is uploaded. Statistics come from the training split only.
/// </summary>
public sealed class Normalization
{
    private readonly float[] scale;
    private readonly float[] offset;

    /// <summary>Standardises with the given per-channel mean and standard deviation (on [0, 1] pixels).</summary>
    public Normalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
        {
            throw new ArgumentException($"Need one mean and one std per channel (got {mean.Count} and {std.Count}).");
        }

        Mean = [.. mean];
        Std = [.. std];
        // (x − m) / s = x·(1/s) − m/s: one multiply-add per value.
        scale = Std.Select(s => s > 0 ? 1f / s : throw new ArgumentOutOfRangeException(nameof(std), s, "Standard deviations must be positive.")).ToArray();
        offset = Mean.Select((m, c) => -m * scale[c]).ToArray();
    }

    /// <summary>Per-channel means.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Per-channel standard deviations.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>Number of channels.</summary>
    public int Channels => scale.Length;

    /// <summary>Measures the per-channel mean and std of the given images (the training split), on [0, 1] pixels.</summary>
    public static Normalization Measure(ImageDataset data, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        var shape = data.Shape;
        var sum = new long[shape.Channels];
        var squares = new long[shape.Channels];
        foreach (var i in indices)
        {
            var image = data.Image(i); // (C, H, W)
            for (var c = 0; c < shape.Channels; c++)
            {
                foreach (var p in image.Slice(c * shape.PlaneSize, shape.PlaneSize))
                {
                    sum[c] += p;
                    squares[c] += p * p;
                }
            }
        }

        var n = (double)indices.Count * shape.PlaneSize;
        var mean = sum.Select(s => s / n / 255).ToArray();
        var std = squares.Select((q, c) => Math.Sqrt(Math.Max(q / n / (255.0 * 255) - mean[c] * mean[c], 1e-12))).ToArray();
        return new Normalization(mean.Select(m => (float)m).ToArray(), std.Select(s => (float)s).ToArray());
    }

    /// <summary>Standardises <paramref name="images"/> in place.</summary>
    /// <param name="images">(B, C, H, W) in [0, 1].</param>
    /// <param name="shape">(C, H, W) of one image; C must equal <see cref="Channels"/>.</param>
    public void Apply(Span<float> images, ImageShape shape) => Apply(images, images, shape);

    /// <summary>Writes the standardised <paramref name="source"/> into <paramref name="destination"/> (they may be the same span).</summary>
    /// <param name="source">(B, C, H, W) in [0, 1].</param>
    /// <param name="destination">(B, C, H, W), at least as long as the source.</param>
    /// <param name="shape">(C, H, W) of one image; C must equal <see cref="Channels"/>.</param>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape)
    {
        if (shape.Channels != Channels)
        {
            throw new ArgumentException($"The normalisation has {Channels} channels but the images have {shape.Channels}.", nameof(shape));
        }

        var plane = shape.PlaneSize;
        for (var start = 0; start + plane <= source.Length; start += plane)
        {
            var c = start / plane % Channels;
            Affine.Apply(source.Slice(start, plane), destination.Slice(start, plane), scale[c], offset[c]);
        }
    }
}
