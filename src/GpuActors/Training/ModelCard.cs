using System.Text.Json;
using System.Text.Json.Serialization;
using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// The JSON card next to an exported model: what the network is, what input it expects (shape,
/// normalisation), what it scored, and the hyperparameters it ended with. Enough to rebuild and
/// evaluate the model with nothing else.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The card format this version writes.</summary>
    public const string CurrentFormat = "hyperswarm-model/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly JsonSerializerOptions CompactJson = new(Json) { WriteIndented = false };

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The safetensors file beside the card.</summary>
    public required string Weights { get; init; }

    /// <summary>The architecture.</summary>
    public required ModelConfig Model { get; init; }

    /// <summary>The dataset it was trained on.</summary>
    public required string Dataset { get; init; }

    /// <summary>Input channels, height, width.</summary>
    public required int[] InputShape { get; init; }

    /// <summary>Per-channel mean subtracted from [0, 1] pixels.</summary>
    public required float[] Mean { get; init; }

    /// <summary>Per-channel standard deviation the pixels are divided by.</summary>
    public required float[] Std { get; init; }

    /// <summary>Class names, index = label.</summary>
    public required string[] ClassNames { get; init; }

    /// <summary>
    /// How image files became the input (size, channels, resize rule, the test split rule) when
    /// the model was trained on an image folder; null for datasets stored as pixels, and on
    /// cards written before image folders.
    /// </summary>
    public ImagePreprocessing? Preprocessing { get; init; }

    /// <summary>The tuned hyperparameters (the model's hyper layers take them as input), with ranges.</summary>
    public required TunedHyperparameter[] Tuned { get; init; }

    /// <summary>Every hyperparameter's final value, tuned or fixed.</summary>
    public required Dictionary<string, double> Hyperparameters { get; init; }

    /// <summary>The weight optimizer.</summary>
    public required string Optimizer { get; init; }

    /// <summary>Weight steps taken when this model was saved.</summary>
    public required long WeightSteps { get; init; }

    /// <summary>Passes over the training split when this model was saved.</summary>
    public required double Epochs { get; init; }

    /// <summary>Number of trainable scalars.</summary>
    public required long Parameters { get; init; }

    /// <summary>Validation accuracy at export.</summary>
    public required double ValidationAccuracy { get; init; }

    /// <summary>Test accuracy, filled in at the end of the run.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The card as JSON, indented for people, or on one line where its bytes count (inside an .onnx file).</summary>
    public string ToJson(bool indented = true) => JsonSerializer.Serialize(this, indented ? Json : CompactJson);

    /// <summary>Reads a card; throws <see cref="FormatException"/> with one sentence when it is not one.</summary>
    public static ModelCard Parse(string json, string path)
    {
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not a HyperSwarm model card: {e.Message}", e);
        }

        if (card is null || card.Format != CurrentFormat)
        {
            throw new FormatException($"{path} is not a HyperSwarm model card of format {CurrentFormat}.");
        }

        if (card.Preprocessing?.Unsupported() is { } problem)
        {
            throw new FormatException($"{path} asks for image preprocessing this version cannot repeat: {problem}.");
        }

        // Cards written before model.first_hyper_block existed describe hyper layers in every block.
        return json.Contains("\"first_hyper_block\"", StringComparison.Ordinal)
            ? card
            : card with { Model = card.Model with { FirstHyperBlock = 1 } };
    }
}

/// <summary>One tuned hyperparameter on a model card: enough to rebuild the space the hyper layers read.</summary>
public sealed record TunedHyperparameter(string Name, string Kind, double Lower, double Upper, double Value);
