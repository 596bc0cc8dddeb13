using System.Text.Json;
using System.Text.Json.Serialization;
using HyperSwarm.Coordinator.Population;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// What a snapshot holds besides the population: the rules it runs by (a restarted node keeps
/// them) and the last lease epoch issued (a restarted registry issues only higher ones).
/// Stored as <c>{"options":…,"lastIssuedEpoch":…,"population":…}</c>.
/// </summary>
internal sealed record NodeSnapshot(PopulationOptions Options, long LastIssuedEpoch, PopulationState State)
{
    private static readonly JsonSerializerOptions OptionsJson = CreateOptions();

    public string Serialize() =>
        $"{{\"options\":{JsonSerializer.Serialize(Options, OptionsJson)},\"lastIssuedEpoch\":{LastIssuedEpoch},\"population\":{PopulationJson.Serialize(State)}}}";

    public static NodeSnapshot Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var options = JsonSerializer.Deserialize<PopulationOptions>(root.GetProperty("options").GetRawText(), OptionsJson)
            ?? throw new JsonException("a snapshot's population options cannot be null.");
        return new NodeSnapshot(options, root.GetProperty("lastIssuedEpoch").GetInt64(),
            PopulationJson.DeserializeState(root.GetProperty("population").GetRawText()));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        // A one-sided range has an infinite bound; spell it "Infinity" as PopulationJson does.
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
