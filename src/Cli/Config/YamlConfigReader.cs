using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// Reads a run-config YAML file into <see cref="ConfigSetting"/>s, each with its line, checking
/// the layout (sections, known keys, value shapes) but not the values themselves.
/// </summary>
internal static class YamlConfigReader
{
    /// <summary>The settings in the file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="UserError">The file cannot be read, is not YAML, or holds an unknown key or a misplaced list or mapping.</exception>
    public static IReadOnlyList<ConfigSetting> Read(string path) => ReadText(ReadFile(path), path);

    /// <summary>
    /// The settings in <paramref name="yaml"/>, in text order; <paramref name="name"/> stands for
    /// the file in error messages (a worker gets the run's config as text from its coordinator).
    /// </summary>
    /// <exception cref="UserError">The text is not YAML, or holds an unknown key or a misplaced list or mapping.</exception>
    public static IReadOnlyList<ConfigSetting> ReadText(string yaml, string name)
    {
        var root = Parse(yaml, name);
        var settings = new List<ConfigSetting>();
        if (root is null || IsNull(root)) return settings;
        if (root is not YamlMappingNode mapping)
        {
            throw new UserError($"{name} must hold settings as 'key: value' lines, such as 'budget: 15m' ({Where(name, root)}).");
        }

        ReadMapping(mapping, section: "", name, settings);
        return settings;
    }

    private static string ReadFile(string path)
    {
        try
        {
            if (Directory.Exists(path)) throw new UserError($"config file {path} is a directory.");
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserError($"config file {path} does not exist.");
        }
        catch (UnauthorizedAccessException)
        {
            throw new UserError($"config file {path} cannot be read: permission denied.");
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new UserError($"config file {path} cannot be read: {e.Message.TrimEnd('.')}.");
        }
    }

    private static YamlNode? Parse(string text, string path)
    {
        var scanner = new Scanner(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            throw new UserError($"{path} is not valid YAML: {Lowercase(e.Message)} ({ConfigSource.File(path, e.Start.Line)}).");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some broken input (an unclosed '[' before a
            // new key); where the scanner stopped is the best line there is.
            throw new UserError($"{path} is not valid YAML: it ends inside an unclosed bracket or quote ({ConfigSource.File(path, scanner.CurrentPosition.Line)}).");
        }

        if (stream.Documents.Count > 1)
        {
            throw new UserError($"{path} holds more than one YAML document; put every setting in the first ({Where(path, stream.Documents[1].RootNode)}).");
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    private static void ReadMapping(YamlMappingNode mapping, string section, string path, List<ConfigSetting> settings)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            var source = ConfigSource.File(path, keyNode.Start.Line);
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } leaf } || IsNull(keyNode))
            {
                throw new UserError($"setting names must be words such as batch_size, got {Describe(keyNode)} ({source}).");
            }

            var name = section.Length == 0 ? leaf : section + "." + leaf;
            if (section.Length == 0 && ConfigKeys.Sections.Contains(leaf))
            {
                ReadSection(name, value, path, source, settings);
                continue;
            }

            // Files keep one spelling per setting, the nested one: 'data.path:' at the top is refused.
            if (leaf.Contains('.', StringComparison.Ordinal))
            {
                if (ConfigKeys.Find(name) is { } dotted && dotted.Section.Length > 0)
                {
                    var nesting = dotted is NumberMapEntryKey entry
                        ? $"'{entry.Entry}:' indented under '{entry.Map.Leaf}:' in '{dotted.Section}:'"
                        : $"'{dotted.Leaf}:' indented under '{dotted.Section}:'";
                    throw new UserError($"{name} must be written as {nesting} ({source}).");
                }

                throw ConfigErrors.UnknownSetting(name, source);
            }

            var key = ConfigKeys.Find(name) ?? throw ConfigErrors.UnknownSetting(name, source);
            ReadValue(key, value, path, source, settings);
        }
    }

    private static void ReadSection(string section, YamlNode value, string path, ConfigSource source, List<ConfigSetting> settings)
    {
        if (IsNull(value)) return;
        if (value is not YamlMappingNode mapping)
        {
            var example = ConfigKeys.All.First(k => k.Section == section).Leaf;
            throw new UserError($"{section} must hold settings as indented 'key: value' lines such as '{example}: ...', got {Describe(value)} ({source}).");
        }

        ReadMapping(mapping, section, path, settings);
    }

    private static void ReadValue(ConfigKey key, YamlNode value, string path, ConfigSource source, List<ConfigSetting> settings)
    {
        switch (value)
        {
            case YamlScalarNode scalar:
                settings.Add(new ConfigSetting(key.Name, ScalarText(scalar), source));
                break;

            case YamlSequenceNode sequence when key.Shape == ConfigKeyShape.List:
                settings.Add(new ConfigSetting(key.Name, JoinNames(key, sequence, source), source));
                break;

            case YamlMappingNode entries when key.Shape == ConfigKeyShape.Map:
                // The file's mapping replaces the map as a whole; each entry keeps its own line.
                settings.Add(new ConfigSetting(key.Name, null, source));
                foreach (var (entryNode, entryValue) in entries.Children)
                {
                    var entrySource = ConfigSource.File(path, entryNode.Start.Line);
                    if (entryNode is not YamlScalarNode { Value: { Length: > 0 } entry } || IsNull(entryNode))
                    {
                        throw new UserError($"{key.Name} names must be words such as dropout.input, got {Describe(entryNode)} ({entrySource}).");
                    }

                    if (entryValue is not YamlScalarNode entryScalar)
                    {
                        throw new UserError($"{key.Name}.{entry} must be a number, got {Describe(entryValue)} ({entrySource}).");
                    }

                    settings.Add(new ConfigSetting(key.Name + "." + entry, ScalarText(entryScalar), entrySource));
                }

                break;

            default:
                var wanted = key.Shape switch
                {
                    ConfigKeyShape.List => "a list of names",
                    ConfigKeyShape.Map => "name: number entries",
                    _ => "a single value",
                };
                throw new UserError($"{key.Name} must be {wanted}, got {Describe(value)} ({source}).");
        }
    }

    // A list travels as the comma-separated text that environment variables and flags use, so
    // a name with a comma in it would split; names never contain one, so it is refused here.
    private static string JoinNames(ConfigKey key, YamlSequenceNode sequence, ConfigSource source)
    {
        var names = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlScalarNode scalar || ScalarText(scalar) is not { } name || name.Contains(',', StringComparison.Ordinal))
            {
                throw new UserError($"{key.Name} must be a list of names, got {Describe(item)} in the list ({source}).");
            }

            names.Add(name);
        }

        return string.Join(",", names);
    }

    // YAML's null is an unquoted ~, null or nothing; a quoted "null" is the text null.
    private static string? ScalarText(YamlScalarNode scalar) => IsNull(scalar) ? null : scalar.Value;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar => ScalarTypes.Show(ScalarText(scalar)),
        _ => "an alias",
    };

    private static ConfigSource Where(string path, YamlNode node) => ConfigSource.File(path, node.Start.Line);

    private static string Lowercase(string message)
    {
        var trimmed = message.TrimEnd('.');
        return trimmed.Length == 0 ? trimmed : char.ToLowerInvariant(trimmed[0]) + trimmed[1..];
    }
}
