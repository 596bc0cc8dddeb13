using System.Text;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// One setting of <see cref="TrainConfig"/>: its dotted snake_case name, how its text is applied
/// to a config, and how the config's value is written back as YAML.
/// </summary>
internal abstract class ConfigKey(string name)
{
    /// <summary>The dotted snake_case name, e.g. <c>data.batch_size</c> or <c>budget</c>.</summary>
    public string Name { get; } = name;

    /// <summary>The section the key lives in (<c>data</c>), or empty for a top-level key.</summary>
    public string Section => Name.Contains('.', StringComparison.Ordinal) ? Name[..Name.IndexOf('.', StringComparison.Ordinal)] : "";

    /// <summary>The name within its section, as a YAML key: <c>batch_size</c>.</summary>
    public string Leaf => Section.Length == 0 ? Name : Name[(Section.Length + 1)..];

    /// <summary>The variable that sets it: <c>HYPERSWARM_</c>, then the name upper-cased with <c>__</c> for each dot.</summary>
    public string EnvironmentVariable => "HYPERSWARM_" + Name.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Which YAML nodes the key accepts.</summary>
    public virtual ConfigKeyShape Shape => ConfigKeyShape.Scalar;

    /// <summary>Returns <paramref name="config"/> with this key set from <paramref name="text"/> (null: YAML's null).</summary>
    /// <exception cref="FormatException">The text does not fit; the message continues the key's name.</exception>
    public abstract TrainConfig Apply(TrainConfig config, string? text);

    /// <summary>Appends <c>leaf: value</c> line(s) for <paramref name="config"/>'s value, each starting with <paramref name="indent"/>.</summary>
    public abstract void WriteYaml(StringBuilder yaml, TrainConfig config, string indent);
}
