using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Onnx;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Predict;

/// <summary>
/// Predicts image files with an exported model: each file decoded and preprocessed as the
/// model's card prescribes (<see cref="PreprocessedImage"/>, several at once), then batches
/// through the model (<see cref="ClassProbabilities"/>). Results come back in file order, as
/// each batch finishes; a file that cannot be used is reported with its reason, and the rest go
/// on. Run it on the thread that loaded the model.
/// </summary>
internal sealed class ImagePredictor(ModelCard card, Func<byte[], int, float[]> probabilities, ImagePreprocessing preprocessing, int top)
{
    /// <summary>Predicts with a libtorch model.</summary>
    public ImagePredictor(ExportedModel model, ImagePreprocessing preprocessing, int top)
        : this(model.Card, (pixels, count) => ClassProbabilities.Compute(model, pixels, count), preprocessing, top)
    {
    }

    /// <summary>Predicts with an .onnx model under ONNX Runtime.</summary>
    public ImagePredictor(OnnxClassifier model, ImagePreprocessing preprocessing, int top)
        : this(model.Card, (pixels, count) => ClassProbabilities.Compute(model, pixels, count), preprocessing, top)
    {
    }

    // Enough images per forward pass to keep the cores busy; few enough that a large folder
    // streams its rows instead of holding every decoded image.
    private const int BatchSize = 64;

    /// <summary>Predicts <paramref name="files"/>; returns how many were predicted.</summary>
    public int Predict(IReadOnlyList<string> files, Action<Prediction> predicted, Action<SkippedFile> skipped)
    {
        ArgumentNullException.ThrowIfNull(files);
        var shape = preprocessing.Shape;
        var classes = card.ClassNames;
        var k = Math.Min(top, classes.Length);
        var done = 0;
        for (var start = 0; start < files.Count; start += BatchSize)
        {
            var batch = new string[Math.Min(BatchSize, files.Count - start)];
            for (var i = 0; i < batch.Length; i++) batch[i] = files[start + i];
            var pixels = new byte[batch.Length * shape.Size]; // (B, C, S, S)
            var problems = new string?[batch.Length];
            Parallel.For(0, batch.Length, i =>
                problems[i] = PreprocessedImage.TryRead(batch[i], preprocessing, pixels.AsSpan(i * shape.Size, shape.Size)));

            var usable = Enumerable.Range(0, batch.Length).Where(i => problems[i] is null).ToArray();
            var packed = new byte[usable.Length * shape.Size]; // (B', C, S, S): the usable ones only
            for (var n = 0; n < usable.Length; n++) pixels.AsSpan(usable[n] * shape.Size, shape.Size).CopyTo(packed.AsSpan(n * shape.Size));
            var batchProbabilities = probabilities(packed, usable.Length); // (B', K)

            var next = 0;
            for (var i = 0; i < batch.Length; i++)
            {
                if (problems[i] is { } problem)
                {
                    skipped(new SkippedFile(batch[i], problem));
                    continue;
                }

                predicted(Prediction.Rank(batch[i], batchProbabilities.AsSpan(next * classes.Length, classes.Length), classes, k));
                next++;
                done++;
            }
        }

        return done;
    }
}
