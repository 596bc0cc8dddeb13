using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// What an exported model makes of images already in its input shape: the softmax over its
/// classes, with the card's normalisation, as <see cref="Evaluator"/> feeds it. A libtorch model
/// is called on the thread that loaded it; an .onnx one runs under ONNX Runtime with no libtorch.
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
        var floats = Normalized(model.Card, model.Normalization, pixels, count); // (N, C, H, W)
        if (count == 0) return [];
        var shape = model.Card.InputShape;
        using var scope = TensorScope.Begin();
        var images = Tensor.FromArray<float>(floats, [count, shape[0], shape[1], shape[2]]); // (N, C, H, W)
        var logits = model.Logits(images);                         // (N, K)
        return Functional.Softmax(logits, 1).ToArray<float>();     // (N, K)
    }

    /// <summary>The same for an .onnx model under ONNX Runtime.</summary>
    public static float[] Compute(OnnxClassifier model, ReadOnlySpan<byte> pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        var floats = Normalized(model.Card, model.Normalization, pixels, count); // (N, C, H, W)
        if (count == 0) return [];
        var logits = model.Logits(floats, count);                  // (N, K)
        var classes = logits.Length / count;
        var result = new float[logits.Length];
        for (var i = 0; i < count; i++)
        {
            var row = logits.AsSpan(i * classes, classes);
            var log = HostEvaluator.LogSumExp(row);
            for (var k = 0; k < classes; k++) result[i * classes + k] = (float)Math.Exp(row[k] - log);
        }

        return result;                                              // (N, K)
    }

    // uint8 (N, C, H, W) → [0, 1] → the card's per-channel normalisation.
    private static float[] Normalized(ModelCard card, Normalization normalization, ReadOnlySpan<byte> pixels, int count)
    {
        var input = card.InputShape;
        var shape = new ImageShape(input[0], input[1], input[2]);
        if (pixels.Length != count * shape.Size) throw new ArgumentException($"Need {count} images of {shape}, got {pixels.Length} bytes.", nameof(pixels));
        var floats = new float[pixels.Length];
        PixelConversion.ToUnit(pixels, floats);
        normalization.Apply(floats, shape);
        return floats;
    }
}
