namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// A labelled image set held in host memory: uint8 pixels laid out (N, C, H, W) row-major and
/// one int64 label per image. Readers build it; splits and loaders index into it without copying.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Wraps <paramref name="images"/> (N·C·H·W bytes) and <paramref name="labels"/> (N values in [0, classCount)).</summary>
    public ImageDataset(string name, byte[] images, long[] labels, ImageShape shape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(shape.Size, 1, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if ((long)labels.Length * shape.Size != images.LongLength)
        {
            throw new ArgumentException(
                $"{images.LongLength} pixel bytes do not hold {labels.Length} images of {shape}.", nameof(images));
        }

        Name = name;
        Images = images;
        Labels = labels;
        Shape = shape;
        ClassCount = classCount;
    }

    /// <summary>A short name such as <c>fashion-mnist/train</c>.</summary>
    public string Name { get; }

    /// <summary>Pixels, (N, C, H, W) row-major.</summary>
    public byte[] Images { get; }

    /// <summary>Class indices, (N).</summary>
    public long[] Labels { get; }

    /// <summary>The shape of every image.</summary>
    public ImageShape Shape { get; }

    /// <summary>Number of classes; labels lie in [0, ClassCount).</summary>
    public int ClassCount { get; }

    /// <summary>Number of images (N).</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels of image <paramref name="index"/>, (C, H, W).</summary>
    public ReadOnlySpan<byte> Image(int index) => Images.AsSpan(index * Shape.Size, Shape.Size);
}
