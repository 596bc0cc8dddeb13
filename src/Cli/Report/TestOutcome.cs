using HyperSwarm.Cli.Commands;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using Spectre.Console;

namespace HyperSwarm.Cli.Report;

/// <summary>
/// The exported model's prediction for every test image, in test-split order, with the images
/// themselves: what per-class accuracy, the confusion matrix and the misclassified grid are
/// drawn from. The split is read as <c>eval</c> reads it (<see cref="ModelTestSplit"/>).
/// </summary>
internal sealed class TestOutcome
{
    // Test images per forward pass.
    private const int BatchSize = 256;

    internal TestOutcome(IReadOnlyList<string> classNames, ImageDataset test, int[] predicted, float[] confidence)
    {
        ClassNames = classNames;
        Test = test;
        Predicted = predicted;
        Confidence = confidence;
        Confusion = new long[classNames.Count, classNames.Count];
        for (var i = 0; i < predicted.Length; i++) Confusion[test.Labels[i], predicted[i]]++;
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The test split, (N, C, H, W) pixels as the model took them.</summary>
    public ImageDataset Test { get; }

    /// <summary>The predicted class of each test image.</summary>
    public int[] Predicted { get; }

    /// <summary>The probability the model gave its prediction.</summary>
    public float[] Confidence { get; }

    /// <summary>[true class, predicted class] counts.</summary>
    public long[,] Confusion { get; }

    /// <summary>Share of the test images predicted right.</summary>
    public double Accuracy => Predicted.Length == 0 ? double.NaN : (double)Enumerable.Range(0, Predicted.Length).Count(i => Predicted[i] == Test.Labels[i]) / Predicted.Length;

    /// <summary>Share of class <paramref name="label"/>'s test images predicted right; NaN when it has none.</summary>
    public double ClassAccuracy(int label)
    {
        long total = 0;
        for (var p = 0; p < ClassNames.Count; p++) total += Confusion[label, p];
        return total == 0 ? double.NaN : (double)Confusion[label, label] / total;
    }

    /// <summary>Scores the model in <paramref name="modelPath"/> on <paramref name="dataPath"/>'s test split; on the model's torch thread.</summary>
    public static TestOutcome Score(string modelPath, string dataPath, IAnsiConsole console)
    {
        using var model = ModelFile.Load(modelPath);
        var test = ModelTestSplit.Load(dataPath, model.Card, console);
        var classes = model.Card.ClassNames.Length;
        var predicted = new int[test.Count];
        var confidence = new float[test.Count];
        for (var start = 0; start < test.Count; start += BatchSize)
        {
            var count = Math.Min(BatchSize, test.Count - start);
            var pixels = test.Images.AsSpan(start * test.Shape.Size, count * test.Shape.Size); // (B, C, H, W)
            var probabilities = ClassProbabilities.Compute(model, pixels, count);            // (B, K)
            for (var n = 0; n < count; n++)
            {
                var row = probabilities.AsSpan(n * classes, classes);
                var best = 0;
                for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                predicted[start + n] = best;
                confidence[start + n] = row[best];
            }
        }

        return new TestOutcome(model.Card.ClassNames, test, predicted, confidence);
    }
}
