using System.Globalization;
using System.Text.Json;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// What an exported .onnx file says about its input in metadata_props: the model card whole
/// (<see cref="CardKey"/>: HyperSwarm's eval and predict rebuild everything from it), and the
/// preprocessing again as plain keys for a device runtime that reads no JSON card: pixels / 255,
/// then (x − mean_c) / std_c per channel, NCHW float32 of <see cref="InputShape"/>.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>The model card, as JSON.</summary>
    public const string CardKey = "hyperswarm.model_card";

    /// <summary>Per-channel means, comma-separated.</summary>
    public const string Mean = "mean";

    /// <summary>Per-channel standard deviations, comma-separated.</summary>
    public const string Std = "std";

    /// <summary>Channels, height, width, comma-separated.</summary>
    public const string InputShape = "input_shape";

    /// <summary>Class names as a JSON array, index = the logit's position.</summary>
    public const string Labels = "labels";

    /// <summary>How image files become the input (the card's image-folder preprocessing, JSON); absent for datasets stored as pixels.</summary>
    public const string Preprocessing = "preprocessing";

    /// <summary>One sentence on what the input is.</summary>
    public const string Input = "input";

    /// <summary>The key-value pairs for <paramref name="card"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var pairs = new List<KeyValuePair<string, string>>
        {
            new(CardKey, card.ToJson(indented: false)),
            new(Input, "images (batch, channels, height, width) float32: pixel / 255, then (x - mean) / std per channel; output: logits (batch, classes)"),
            new(Mean, Join(card.Mean)),
            new(Std, Join(card.Std)),
            new(InputShape, string.Join(',', card.InputShape)),
            new(Labels, JsonSerializer.Serialize(card.ClassNames)),
        };
        if (card.Preprocessing is { } preprocessing) pairs.Add(new(Preprocessing, JsonSerializer.Serialize(preprocessing)));
        return pairs;
    }

    private static string Join(float[] values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
