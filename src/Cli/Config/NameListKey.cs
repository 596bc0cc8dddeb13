using System.Text;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// A setting holding a list of names, or null for "the default set". As text it is
/// comma-separated (<c>dropout.input,dropout.block1</c>), so an environment variable or a flag
/// can carry it; an empty text is the empty list.
/// </summary>
/// <param name="name">The dotted snake_case name.</param>
/// <param name="get">Reads the list from a config.</param>
/// <param name="set">Returns a config with the list replaced.</param>
internal sealed class NameListKey(string name, Func<TrainConfig, IReadOnlyList<string>?> get, Func<TrainConfig, IReadOnlyList<string>?, TrainConfig> set)
    : ConfigKey(name)
{
    /// <inheritdoc/>
    public override ConfigKeyShape Shape => ConfigKeyShape.List;

    /// <inheritdoc/>
    public override TrainConfig Apply(TrainConfig config, string? text)
    {
        if (text is null || text.Trim() is "null" or "none" or "~") return set(config, null);
        if (text.Trim().Length == 0) return set(config, []);

        var names = text.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0)) throw new FormatException($"must be a comma-separated list of names, got '{text}' with an empty name");
        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new FormatException($"names '{repeated.Key}' twice");
        return set(config, names);
    }

    /// <inheritdoc/>
    public override void WriteYaml(StringBuilder yaml, TrainConfig config, string indent)
    {
        var names = get(config);
        var value = names is null ? "null" : "[" + string.Join(", ", names.Select(YamlText.Scalar)) + "]";
        yaml.Append(indent).Append(Leaf).Append(": ").AppendLine(value);
    }
}
