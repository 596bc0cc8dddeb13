using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// The training images <c>export --int8</c> measures activation ranges on: normalised as the
/// model's input expects, (N, C, H, W) row-major, run by ONNX Runtime on <see cref="Threads"/> threads.
/// </summary>
public sealed record Int8Calibration(float[] Images, int Count, int Threads)
{
    /// <summary>Images a calibration reads by default: enough for stable ranges on Fashion-MNIST-sized data, seconds to run.</summary>
    public const int DefaultCount = 512;

    /// <summary><paramref name="count"/> images of <paramref name="train"/> in a seeded draw (all of them when fewer).</summary>
    public static Int8Calibration From(ImageDataset train, Normalization normalization, int count = DefaultCount, int seed = 0, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(normalization);
        var indices = Enumerable.Range(0, train.Count).ToArray();
        new Random(seed).Shuffle(indices);
        var n = Math.Min(count, indices.Length);
        var size = train.Shape.Size;
        var images = new float[n * size];
        for (var i = 0; i < n; i++) PixelConversion.ToUnit(train.Image(indices[i]), images.AsSpan(i * size, size));
        normalization.Apply(images, train.Shape);
        return new Int8Calibration(images, n, threads);
    }
}
