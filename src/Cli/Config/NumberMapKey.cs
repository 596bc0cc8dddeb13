using System.Text;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// A setting holding numbers by name (<c>stn.initial</c>). Names may contain dots
/// (<c>dropout.input</c>), so one entry is set as <c>stn.initial.dropout.input</c>: everything
/// after the key's own name is the entry's name (<see cref="NumberMapEntryKey"/>). As a whole
/// the text is <c>name=value</c> pairs separated by commas; empty or null clears the map.
/// </summary>
/// <param name="name">The dotted snake_case name.</param>
/// <param name="get">Reads the map from a config.</param>
/// <param name="set">Returns a config with the map replaced.</param>
internal sealed class NumberMapKey(
    string name,
    Func<TrainConfig, IReadOnlyDictionary<string, double>> get,
    Func<TrainConfig, IReadOnlyDictionary<string, double>, TrainConfig> set)
    : ConfigKey(name)
{
    /// <inheritdoc/>
    public override ConfigKeyShape Shape => ConfigKeyShape.Map;

    /// <summary>The key that sets the entry <paramref name="entry"/> alone.</summary>
    public NumberMapEntryKey Entry(string entry) => new(this, entry);

    /// <summary>The map held by <paramref name="config"/>.</summary>
    public IReadOnlyDictionary<string, double> Get(TrainConfig config) => get(config);

    /// <summary>Returns <paramref name="config"/> holding <paramref name="map"/>.</summary>
    public TrainConfig Set(TrainConfig config, IReadOnlyDictionary<string, double> map) => set(config, map);

    /// <inheritdoc/>
    public override TrainConfig Apply(TrainConfig config, string? text)
    {
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        if (text is null || text.Trim() is "" or "null" or "none" or "~") return set(config, map);

        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new FormatException($"must be name=value pairs separated by commas, got '{text}'");
            var entry = pair[..equals].Trim();
            var valueText = pair[(equals + 1)..].Trim();
            double value;
            try
            {
                value = ScalarTypes.Number.Parse(valueText);
            }
            catch (FormatException e)
            {
                throw new FormatException($"gives {entry} the value '{valueText}', which is not a number", e);
            }

            if (!map.TryAdd(entry, value)) throw new FormatException($"names '{entry}' twice");
        }

        return set(config, map);
    }

    /// <inheritdoc/>
    public override void WriteYaml(StringBuilder yaml, TrainConfig config, string indent)
    {
        var map = get(config);
        yaml.Append(indent).Append(Leaf).Append(':');
        if (map.Count == 0)
        {
            yaml.AppendLine(" {}");
            return;
        }

        yaml.AppendLine();
        // Sorted so that the same map always gives the same text, whatever order it was built in.
        foreach (var entry in map.Keys.Order(StringComparer.Ordinal))
        {
            Entry(entry).WriteYaml(yaml, config, indent + "  ");
        }
    }
}
