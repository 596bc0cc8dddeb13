using HyperSwarm.GpuActors.Data;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Training;

/// <summary>Runs a model over a split in order, without gradients, and scores it.</summary>
public static class Evaluator
{
    /// <summary>
    /// Scores <paramref name="logits"/> (images (B, C, H, W) → logits (B, K), evaluation mode,
    /// on the caller's thread) over <paramref name="indices"/> of <paramref name="data"/>; with
    /// <paramref name="tally"/>, also per class (one host copy of predictions per batch).
    /// </summary>
    public static Evaluation Evaluate(Func<Tensor, Tensor> logits, ImageDataset data, IReadOnlyList<int> indices,
        Normalization normalization, int batchSize, Device device = default, ClassTally? tally = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(indices);
        using var loader = new BatchLoader(data, indices, normalization, BatchLoaderOptions.Evaluation(batchSize) with { Device = device });
        using var noGrad = NoGrad.Enter();
        double lossSum = 0;
        long correct = 0;
        var seen = 0;
        while (loader.TryNext(null, out var batch))
        {
            using var scope = TensorScope.Begin();
            var z = logits(batch.Images);                                                      // (B, K)
            lossSum += Functional.CrossEntropy(z, batch.Labels, reduction: Reduction.Sum).ToDouble();
            var predicted = z.ArgMax(1);                                                       // (B)
            correct += predicted.Eq(batch.Labels).Sum().ToInt64();
            tally?.Add(predicted.ToArray<long>(), batch.Labels.ToArray<long>());
            seen += batch.Count;
        }

        return new Evaluation(lossSum / seen, (double)correct / seen, seen);
    }
}
