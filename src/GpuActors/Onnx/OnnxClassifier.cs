using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using Microsoft.ML.OnnxRuntime;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// An exported .onnx classifier run by ONNX Runtime on the CPU, with no libtorch: the device
/// path. Its model card comes from the file's metadata (<see cref="OnnxMetadata.CardKey"/>),
/// so it takes the same preprocessing as the model it was exported from.
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    private readonly InferenceSession session;

    private OnnxClassifier(InferenceSession session, ModelCard card)
    {
        this.session = session;
        Card = card;
    }

    /// <summary>The card the file carries.</summary>
    public ModelCard Card { get; }

    /// <summary>The normalisation the card prescribes.</summary>
    public Normalization Normalization => new(Card.Mean, Card.Std);

    /// <summary>Whether <paramref name="path"/> names an .onnx file (by its extension).</summary>
    public static bool IsOnnxPath(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Loads <paramref name="path"/> for <paramref name="threads"/> threads; a missing file throws
    /// <see cref="FileNotFoundException"/>, one ONNX Runtime cannot load or without a card
    /// <see cref="FormatException"/>, each with one sentence naming the file.
    /// </summary>
    public static OnnxClassifier Load(string path, int threads)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist; pass an .onnx file written by hyperswarm export.", path);
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new FormatException($"{path} is not an ONNX model ONNX Runtime can load: {FirstLine(e.Message)}", e);
        }

        try
        {
            if (!session.ModelMetadata.CustomMetadataMap.TryGetValue(OnnxMetadata.CardKey, out var json))
            {
                throw new FormatException($"{path} carries no HyperSwarm model card in its metadata; write it with hyperswarm export.");
            }

            var card = ModelCard.Parse(json, path);
            var input = session.InputMetadata.Keys.SingleOrDefault();
            if (input != OnnxExport.InputName || !session.OutputMetadata.ContainsKey(OnnxExport.OutputName))
            {
                throw new FormatException($"{path} does not have the one input '{OnnxExport.InputName}' and the output '{OnnxExport.OutputName}' hyperswarm export writes.");
            }

            return new OnnxClassifier(session, card);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Logits (N, K) row-major for <paramref name="count"/> normalised images (N, C, H, W) in the card's input shape.</summary>
    public float[] Logits(float[] images, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        var shape = Card.InputShape;
        long[] dims = [count, shape[0], shape[1], shape[2]];
        if (images.LongLength != dims.Aggregate(1L, (a, d) => a * d)) throw new ArgumentException($"need {count} images of {string.Join('x', shape)}, got {images.Length} values.", nameof(images));
        if (count == 0) return [];
        using var input = OrtValue.CreateTensorValueFromMemory(images, dims);                  // (N, C, H, W)
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExport.InputName], [input], [OnnxExport.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();                              // (N, K)
    }

    /// <summary>Frees the session.</summary>
    public void Dispose() => session.Dispose();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
