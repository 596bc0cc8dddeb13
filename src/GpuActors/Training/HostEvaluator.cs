using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// <see cref="Evaluator"/>'s scores for a model that runs on host arrays (an .onnx file under
/// ONNX Runtime), with no libtorch: the same pixels → [0, 1] → normalisation as the batch
/// loader, the same mean cross-entropy and accuracy, the same per-class tally.
/// </summary>
public static class HostEvaluator
{
    /// <summary>
    /// Scores <paramref name="logits"/> (normalised images (B, C, H, W) row-major, B → logits
    /// (B, K) row-major) over <paramref name="indices"/> of <paramref name="data"/>, in order.
    /// </summary>
    public static Evaluation Evaluate(Func<float[], int, float[]> logits, ImageDataset data, IReadOnlyList<int> indices,
        Normalization normalization, int batchSize, ClassTally? tally = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(normalization);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var size = data.Shape.Size;
        double lossSum = 0;
        long correct = 0;
        for (var start = 0; start < indices.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, indices.Count - start);
            var images = new float[count * size];                                  // (B, C, H, W)
            var labels = new long[count];
            for (var i = 0; i < count; i++)
            {
                PixelConversion.ToUnit(data.Image(indices[start + i]), images.AsSpan(i * size, size));
                labels[i] = data.Labels[indices[start + i]];
            }

            normalization.Apply(images, data.Shape);
            var z = logits(images, count);                                         // (B, K)
            var classes = z.Length / count;
            var predicted = new long[count];
            for (var i = 0; i < count; i++)
            {
                var row = z.AsSpan(i * classes, classes);
                predicted[i] = ArgMax(row);
                lossSum += LogSumExp(row) - row[(int)labels[i]];
                if (predicted[i] == labels[i]) correct++;
            }

            tally?.Add(predicted, labels);
        }

        return new Evaluation(lossSum / indices.Count, (double)correct / indices.Count, indices.Count);
    }

    // The first of equal maxima, as libtorch's argmax gives.
    private static long ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }

    /// <summary>log Σ exp(row), without overflow.</summary>
    internal static double LogSumExp(ReadOnlySpan<float> row)
    {
        double max = row[0];
        foreach (var v in row) max = Math.Max(max, v);
        var sum = 0.0;
        foreach (var v in row) sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }
}
