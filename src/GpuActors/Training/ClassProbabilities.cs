using HyperSwarm.GpuActors.Data;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// What an exported model makes of images already in its input shape: the softmax over its
/// classes, with the card's normalisation, as <see cref="Evaluator"/> feeds it. Call it on the
/// thread that loaded the model.
/// </summary>
public static class ClassProbabilities
{
    /// <summary>
    /// Probabilities (N, K) row-major for <paramref name="count"/> images <paramref name="pixels"/>,
    /// (N, C, H, W) uint8 in the card's input shape; every tensor is freed before it returns.
    /// </summary>
    public static float[] Compute(ExportedModel model, ReadOnlySpan<byte> pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        var input = model.Card.InputShape;
        var shape = new ImageShape(input[0], input[1], input[2]);
        if (pixels.Length != count * shape.Size) throw new ArgumentException($"Need {count} images of {shape}, got {pixels.Length} bytes.", nameof(pixels));
        if (count == 0) return [];

        var floats = new float[pixels.Length];                     // (N, C, H, W) in [0, 1]
        PixelConversion.ToUnit(pixels, floats);
        model.Normalization.Apply(floats, shape);
        using var scope = TensorScope.Begin();
        var images = Tensor.FromArray<float>(floats, [count, shape.Channels, shape.Height, shape.Width]); // (N, C, H, W)
        var logits = model.Logits(images);                         // (N, K)
        return Functional.Softmax(logits, 1).ToArray<float>();     // (N, K)
    }
}
