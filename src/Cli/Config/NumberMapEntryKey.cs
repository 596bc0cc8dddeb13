using System.Text;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// One entry of a <see cref="NumberMapKey"/>, e.g. <c>stn.initial.dropout.input</c>: a number
/// sets or replaces the entry, null removes it, other entries stay.
/// </summary>
internal sealed class NumberMapEntryKey(NumberMapKey map, string entry) : ConfigKey(map.Name + "." + entry)
{
    private static readonly ScalarType<double?> NumberOrNull = ScalarTypes.OrNull(ScalarTypes.Number);

    /// <summary>The map the entry belongs to.</summary>
    public NumberMapKey Map { get; } = map;

    /// <summary>The entry's name within the map, e.g. <c>dropout.input</c>.</summary>
    public string Entry { get; } = entry;

    /// <inheritdoc/>
    public override TrainConfig Apply(TrainConfig config, string? text)
    {
        // A fresh dictionary every time: the config's map may be shared with other records.
        var values = new Dictionary<string, double>(Map.Get(config), StringComparer.Ordinal);
        if (NumberOrNull.Parse(text) is { } value)
        {
            values[Entry] = value;
        }
        else
        {
            values.Remove(Entry);
        }

        return Map.Set(config, values);
    }

    /// <inheritdoc/>
    public override void WriteYaml(StringBuilder yaml, TrainConfig config, string indent) =>
        yaml.Append(indent).Append(YamlText.Scalar(Entry)).Append(": ")
            .AppendLine(YamlText.Scalar(ScalarTypes.Number.Format(Map.Get(config)[Entry])));
}
