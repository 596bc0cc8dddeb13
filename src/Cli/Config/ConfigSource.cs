using System.Globalization;

namespace HyperSwarm.Cli.Config;

/// <summary>Where a setting came from, as error messages name it: a file line, a variable or a flag.</summary>
/// <param name="Description">The place in the user's words, e.g. <c>config.yaml line 4</c>.</param>
internal sealed record ConfigSource(string Description)
{
    /// <summary>A line of a YAML file, named by the path the user gave.</summary>
    public static ConfigSource File(string path, long line) => new(string.Create(CultureInfo.InvariantCulture, $"{path} line {line}"));

    /// <summary>An environment variable.</summary>
    public static ConfigSource Environment(string variable) => new($"environment variable {variable}");

    /// <summary>A <c>--set KEY=VALUE</c> flag.</summary>
    public static ConfigSource Flag(string key, string value) => new($"--set {key}={value}");

    /// <inheritdoc/>
    public override string ToString() => Description;
}
