using System.Collections;
using System.Text;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// Resolves the <see cref="TrainConfig"/> of <c>hyperswarm train</c> from four layers, each
/// overriding the one before: the built-in defaults, a YAML file, <c>HYPERSWARM_*</c>
/// environment variables, and <c>--set KEY=VALUE</c> flags. Every mistake in any layer is a
/// <see cref="UserError"/> naming the setting and where it was written.
/// </summary>
internal static class TrainConfigLoader
{
    /// <summary>The file used when <c>--config</c> is not given, relative to the working directory.</summary>
    public const string DefaultPath = "config/fashion-mnist.yaml";

    /// <summary>The prefix of the environment variables that set keys (<c>HYPERSWARM_DATA__PATH</c>).</summary>
    public const string EnvironmentPrefix = "HYPERSWARM_";

    /// <summary>
    /// Starts from <c>new TrainConfig()</c>, applies the file at <paramref name="path"/> (if any),
    /// then the variables in <paramref name="environment"/> that name a key, then
    /// <paramref name="overrides"/> in order, and validates the result.
    /// </summary>
    /// <param name="path">A YAML file in the layout <see cref="ToYaml"/> writes; null for none.</param>
    /// <param name="environment">
    /// Environment variables; only <c>HYPERSWARM_&lt;SECTION&gt;__&lt;KEY&gt;</c> names of known keys
    /// are read, so other <c>HYPERSWARM_*</c> variables (tokens, paths) pass untouched.
    /// </param>
    /// <param name="overrides">Dotted snake_case keys and their values, as given to <c>--set</c>.</param>
    /// <exception cref="UserError">A layer holds an unknown key or a bad value, or the result fails validation.</exception>
    public static TrainConfig Load(
        string? path,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        var settings = new List<ConfigSetting>();
        if (path is not null) settings.AddRange(YamlConfigReader.Read(path));
        return Resolve(settings, environment, overrides);
    }

    /// <summary>
    /// As <see cref="Load"/>, from YAML text instead of a file: the run config a coordinator
    /// sends its workers. <paramref name="name"/> names the text in error messages
    /// (<c>the run config line 4</c>).
    /// </summary>
    /// <exception cref="UserError">The text or a later layer holds an unknown key or a bad value, or the result fails validation.</exception>
    public static TrainConfig LoadText(
        string yaml,
        string name,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return Resolve([.. YamlConfigReader.ReadText(yaml, name)], environment, overrides);
    }

    private static TrainConfig Resolve(
        List<ConfigSetting> settings,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        settings.AddRange(FromEnvironment(environment));
        settings.AddRange(FromOverrides(overrides));

        var config = new TrainConfig();
        // The last source to set each key, so a validation failure can say where to fix it.
        var sources = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
        foreach (var setting in settings)
        {
            var key = ConfigKeys.Find(setting.Name) ?? throw ConfigErrors.UnknownSetting(setting.Name, setting.Source);
            try
            {
                config = key.Apply(config, setting.Text);
            }
            catch (FormatException e)
            {
                throw ConfigErrors.BadValue(key.Name, e.Message, setting.Source);
            }

            sources[key.Name] = setting.Source;
        }

        Validate(config, sources);
        return config;
    }

    /// <summary>
    /// <paramref name="config"/> as YAML in the file layout, every key present (null as
    /// <c>null</c>), so that loading the text gives the same config back.
    /// </summary>
    public static string ToYaml(TrainConfig config)
    {
        var yaml = new StringBuilder();
        var section = "";
        foreach (var key in ConfigKeys.All)
        {
            if (key.Section != section)
            {
                section = key.Section;
                yaml.Append(section).AppendLine(":");
            }

            key.WriteYaml(yaml, config, section.Length == 0 ? "" : "  ");
        }

        return yaml.ToString();
    }

    /// <summary>
    /// Refuses a <c>data.path</c> that does not exist, in one sentence: commands call it before
    /// they make a run directory or start anything, so a typo in <c>--data</c> leaves nothing behind.
    /// </summary>
    public static void RequireDataFolder(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!Directory.Exists(config.Data.Path)) throw new UserError($"data.path {config.Data.Path} does not exist; give --data DIR.");
    }

    /// <summary>The file to load: <paramref name="requested"/> if given, else <see cref="DefaultPath"/> if it exists, else none.</summary>
    public static string? ResolvePath(string? requested) =>
        requested ?? (File.Exists(DefaultPath) ? DefaultPath : null);

    /// <summary>This process's <c>HYPERSWARM_*</c> environment variables, for <see cref="Load"/>.</summary>
    public static IReadOnlyDictionary<string, string> ReadEnvironment() =>
        Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .Select(e => (Name: (string)e.Key, Value: e.Value as string ?? ""))
            .Where(e => e.Name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            .ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);

    /// <summary>Splits the text of one <c>--set KEY=VALUE</c> flag at its first <c>=</c>.</summary>
    /// <exception cref="UserError">There is no <c>=</c> or no key before it.</exception>
    public static KeyValuePair<string, string> ParseOverride(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || text[..equals].Trim().Length == 0)
        {
            throw new UserError($"--set expects KEY=VALUE such as data.batch_size=64, got '{text}'.");
        }

        return new(text[..equals].Trim(), text[(equals + 1)..]);
    }

    private static IEnumerable<ConfigSetting> FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        foreach (var key in ConfigKeys.All)
        {
            if (environment.TryGetValue(key.EnvironmentVariable, out var text))
            {
                yield return new ConfigSetting(key.Name, text, ConfigSource.Environment(key.EnvironmentVariable));
            }
        }
    }

    private static IEnumerable<ConfigSetting> FromOverrides(IReadOnlyList<KeyValuePair<string, string>> overrides)
    {
        foreach (var (rawName, text) in overrides)
        {
            var name = rawName.Trim();
            var source = ConfigSource.Flag(name, text);
            if (ConfigKeys.Sections.Contains(name))
            {
                var example = ConfigKeys.All.First(k => k.Section == name).Name;
                throw new UserError($"{name} is a section, not a setting; set one of its keys such as {example} ({source}).");
            }

            yield return new ConfigSetting(name, text, source);
        }
    }

    private static void Validate(TrainConfig config, Dictionary<string, ConfigSource> sources)
    {
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            // The message names the offending key(s); point at where the first of them was set.
            var message = e.Message.TrimEnd('.');
            var source = sources
                .Select(s => (Source: s.Value, Index: IndexOfName(message, s.Key)))
                .Where(m => m.Index >= 0)
                .OrderBy(m => m.Index)
                .Select(m => m.Source)
                .FirstOrDefault();
            throw new UserError(source is null ? $"{message}." : $"{message} ({source}).");
        }
    }

    // Where the key name occurs in the text as a whole name ("budget", not "budgets" or "x.budget").
    private static int IndexOfName(string text, string name)
    {
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            var startsWord = at == 0 || !(char.IsLetterOrDigit(text[at - 1]) || text[at - 1] is '_' or '.');
            var endsWord = end == text.Length || !(char.IsLetterOrDigit(text[end]) || text[end] == '_');
            if (startsWord && endsWord) return at;
        }

        return -1;
    }
}
