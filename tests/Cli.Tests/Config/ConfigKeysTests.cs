using System.Reflection;
using System.Text.RegularExpressions;
using HyperSwarm.Cli.Config;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Tests.Config;

public sealed class ConfigKeysTests
{
    [Fact]
    public void Every_settable_property_has_exactly_one_key_named_in_snake_case()
    {
        var sections = typeof(TrainConfig).GetProperties()
            .Where(p => p.PropertyType.IsSealed && p.PropertyType.Name.EndsWith("Config", StringComparison.Ordinal))
            .ToList();
        var expected = Settable(typeof(TrainConfig)).Except(sections).Select(p => SnakeCase(p.Name))
            .Concat(sections.SelectMany(s => Settable(s.PropertyType).Select(p => SnakeCase(s.Name) + "." + SnakeCase(p.Name))))
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, ConfigKeys.All.Select(k => k.Name).Order(StringComparer.Ordinal));
        Assert.Equal(sections.Select(s => SnakeCase(s.Name)), ConfigKeys.Sections);
    }

    [Fact]
    public void Environment_variables_mirror_the_dotted_names()
    {
        Assert.Equal("HYPERSWARM_BUDGET", ConfigKeys.Find("budget")!.EnvironmentVariable);
        Assert.Equal("HYPERSWARM_DATA__PATH", ConfigKeys.Find("data.path")!.EnvironmentVariable);
        Assert.Equal("HYPERSWARM_STN__WARMUP_STEPS", ConfigKeys.Find("stn.warmup_steps")!.EnvironmentVariable);
    }

    [Fact]
    public void Everything_after_stn_initial_is_one_entry_name()
    {
        var key = Assert.IsType<NumberMapEntryKey>(ConfigKeys.Find("stn.initial.dropout.block1"));

        Assert.Equal("dropout.block1", key.Entry);
        Assert.Null(ConfigKeys.Find("stn.initial."));
        Assert.Null(ConfigKeys.Find("stn.nope"));
    }

    [Theory]
    [InlineData("data.batch_sise", "data.batch_size")]
    [InlineData("data.batchSize", "data.batch_size")]
    [InlineData("optimizer.learning-rate", "optimizer.learning_rate")]
    [InlineData("keep_checkpoints", "reporting.keep_checkpoints")]
    [InlineData("colour", null)]
    public void Suggestions_are_near_typos_or_the_same_key_in_another_section(string name, string? suggestion) =>
        Assert.Equal(suggestion, KeySuggestion.Nearest(name, ConfigKeys.Names));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("depth", "dpeth", 2)]
    public void Distance_counts_single_character_edits(string a, string b, int distance)
    {
        Assert.Equal(distance, KeySuggestion.Distance(a, b));
        Assert.Equal(distance, KeySuggestion.Distance(b, a));
    }

    // Public setters, less what only the code that starts a run sets ([NotConfigurable]).
    private static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<NotConfigurableAttribute>() is null);

    private static string SnakeCase(string name) => Regex.Replace(name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();
}
