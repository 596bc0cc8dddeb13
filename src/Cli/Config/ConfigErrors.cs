namespace HyperSwarm.Cli.Config;

/// <summary>The one-sentence errors every config source shares, so a mistake reads the same wherever it was made.</summary>
internal static class ConfigErrors
{
    /// <summary>An unknown setting name, with the nearest known name when one is close.</summary>
    public static UserError UnknownSetting(string name, ConfigSource source)
    {
        var suggestion = KeySuggestion.Nearest(name, ConfigKeys.Names);
        return new UserError(suggestion is null
            ? $"unknown setting {name} ({source})."
            : $"unknown setting {name} ({source}); did you mean {suggestion}?");
    }

    /// <summary>A value that does not fit its key; <paramref name="problem"/> continues the key's name.</summary>
    public static UserError BadValue(string name, string problem, ConfigSource source) =>
        new($"{name} {problem} ({source}).");
}
