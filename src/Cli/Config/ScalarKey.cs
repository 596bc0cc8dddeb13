using System.Text;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>A setting holding one value of type <typeparamref name="T"/>.</summary>
/// <param name="name">The dotted snake_case name.</param>
/// <param name="type">How the value is read and written as text.</param>
/// <param name="get">Reads the value from a config.</param>
/// <param name="set">Returns a config with the value replaced.</param>
internal sealed class ScalarKey<T>(string name, ScalarType<T> type, Func<TrainConfig, T> get, Func<TrainConfig, T, TrainConfig> set)
    : ConfigKey(name)
{
    /// <inheritdoc/>
    public override TrainConfig Apply(TrainConfig config, string? text) => set(config, type.Parse(text));

    /// <inheritdoc/>
    public override void WriteYaml(StringBuilder yaml, TrainConfig config, string indent) =>
        yaml.Append(indent).Append(Leaf).Append(": ").AppendLine(YamlText.Scalar(type.Format(get(config))));
}
