namespace HyperSwarm.GpuActors.Data;

/// <summary>Argument checks shared by the host augmentations, which all take (B, C, H, W) spans and (B) vectors.</summary>
internal static class ImageBatch
{
    public static void Check(ReadOnlySpan<float> images, ImageShape shape, int batch)
    {
        if (images.Length < batch * shape.Size)
        {
            throw new ArgumentException($"{images.Length} values do not hold {batch} images of {shape}.", nameof(images));
        }
    }

    public static void CheckVector(int length, int batch, string name)
    {
        if (length != batch)
        {
            throw new ArgumentException($"The per-example vector has {length} entries for a batch of {batch}.", name);
        }
    }
}
