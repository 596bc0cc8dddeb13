using HyperSwarm.Cli.Config;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Tests.Config;

public sealed class TrainConfigLoaderTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private static readonly KeyValuePair<string, string>[] NoOverrides = [];

    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Nothing_given_is_the_builtin_defaults() =>
        Assert.Equal(Yaml(new TrainConfig()), Yaml(TrainConfigLoader.Load(null, NoEnvironment, NoOverrides)));

    [Fact]
    public void The_shipped_defaults_file_equals_the_builtin_defaults()
    {
        var path = Path.Combine(DependencyArrowTests.RepoRoot(), TrainConfigLoader.DefaultPath);

        Assert.Equal(Yaml(new TrainConfig()), Yaml(TrainConfigLoader.Load(path, NoEnvironment, NoOverrides)));
    }

    [Fact]
    public void The_shipped_defaults_file_explains_every_key()
    {
        var lines = File.ReadAllLines(Path.Combine(DependencyArrowTests.RepoRoot(), TrainConfigLoader.DefaultPath));
        for (var i = 0; i < lines.Length; i++)
        {
            var key = lines[i].Trim().Split(':')[0];
            var isSetting = !lines[i].TrimStart().StartsWith('#') && lines[i].Contains(':', StringComparison.Ordinal)
                && !ConfigKeys.Sections.Contains(key);
            if (isSetting) Assert.True(lines[i - 1].TrimStart().StartsWith('#'), $"no comment above '{lines[i]}'");
        }
    }

    [Fact]
    public void Environment_overrides_the_file_and_flags_override_both()
    {
        var path = files.Write("""
            seed: 1
            budget: 30m
            data:
              batch_size: 64
              eval_batch_size: 256
            """);
        var environment = new Dictionary<string, string>
        {
            ["HYPERSWARM_SEED"] = "2",
            ["HYPERSWARM_DATA__BATCH_SIZE"] = "32",
        };
        KeyValuePair<string, string>[] overrides = [new("data.batch_size", "16")];

        var config = TrainConfigLoader.Load(path, environment, overrides);

        Assert.Equal(TimeSpan.FromMinutes(30), config.Budget); // file only
        Assert.Equal(256, config.Data.EvalBatchSize);          // file only
        Assert.Equal(2, config.Seed);                          // environment over file
        Assert.Equal(16, config.Data.BatchSize);               // flag over environment and file
    }

    [Fact]
    public void Later_flags_override_earlier_ones()
    {
        KeyValuePair<string, string>[] overrides = [new("seed", "1"), new("seed", "7")];

        Assert.Equal(7, TrainConfigLoader.Load(null, NoEnvironment, overrides).Seed);
    }

    [Fact]
    public void Environment_variables_are_named_after_section_and_key()
    {
        var environment = new Dictionary<string, string>
        {
            ["HYPERSWARM_BUDGET"] = "1h",
            ["HYPERSWARM_DATA__PATH"] = "/data/fm",
            ["HYPERSWARM_STN__WARMUP_STEPS"] = "50",
            ["HYPERSWARM_STN__ENABLED"] = "false",
            ["HYPERSWARM_REPORTING__EVAL_EVERY_STEPS"] = "100",
        };

        var config = TrainConfigLoader.Load(null, environment, NoOverrides);

        Assert.Equal(TimeSpan.FromHours(1), config.Budget);
        Assert.Equal("/data/fm", config.Data.Path);
        Assert.Equal(50, config.Stn.WarmupSteps);
        Assert.False(config.Stn.Enabled);
        Assert.Equal(100, config.Reporting.EvalEverySteps);
    }

    [Fact]
    public void Environment_variables_that_name_no_key_are_ignored()
    {
        var environment = new Dictionary<string, string>
        {
            ["HYPERSWARM_CLUSTER_TOKEN"] = "secret",
            ["HYPERSWARM_DATA__NOT_A_KEY"] = "x",
            ["HYPERSWARM_DATA"] = "x",
            ["hyperswarm_seed"] = "x",
            ["PATH"] = "/usr/bin",
        };

        Assert.Equal(Yaml(new TrainConfig()), Yaml(TrainConfigLoader.Load(null, environment, NoOverrides)));
    }

    [Fact]
    public void Nullable_settings_take_null_or_none_from_text()
    {
        var path = files.Write("epochs: 3\nmax_steps: 1000\n");
        KeyValuePair<string, string>[] overrides = [new("epochs", "null"), new("max_steps", "none")];

        var config = TrainConfigLoader.Load(path, NoEnvironment, overrides);

        Assert.Null(config.Epochs);
        Assert.Null(config.MaxSteps);
    }

    [Fact]
    public void Stn_initial_entries_are_set_one_by_one_and_merge_with_the_file()
    {
        var path = files.Write("""
            stn:
              initial:
                dropout.input: 0.3
                dropout.block1: 0.2
                dropout.stage0: 0.1
            """);
        KeyValuePair<string, string>[] overrides =
        [
            new("stn.initial.dropout.input", "0.05"),
            new("stn.initial.dropout.stage0", "null"),
            new("stn.initial.augment.shift", "2"),
        ];

        var initial = TrainConfigLoader.Load(path, NoEnvironment, overrides).Stn.Initial;

        Assert.Equal(
            new Dictionary<string, double> { ["augment.shift"] = 2, ["dropout.block1"] = 0.2, ["dropout.input"] = 0.05 },
            initial.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public void Stn_initial_as_a_whole_is_name_value_pairs()
    {
        var environment = new Dictionary<string, string> { ["HYPERSWARM_STN__INITIAL"] = "dropout.input=0.1, dropout.block1=0.2" };

        var initial = TrainConfigLoader.Load(null, environment, NoOverrides).Stn.Initial;

        Assert.Equal(0.1, initial["dropout.input"]);
        Assert.Equal(0.2, initial["dropout.block1"]);
        Assert.Equal(2, initial.Count);
    }

    [Fact]
    public void Stn_initial_from_a_flag_replaces_the_file_map()
    {
        var path = files.Write("stn:\n  initial: {dropout.input: 0.3}\n");
        KeyValuePair<string, string>[] overrides = [new("stn.initial", "")];

        Assert.Empty(TrainConfigLoader.Load(path, NoEnvironment, overrides).Stn.Initial);
    }

    [Fact]
    public void Loading_never_changes_the_defaults_map()
    {
        KeyValuePair<string, string>[] overrides = [new("stn.initial.dropout.input", "0.1")];

        TrainConfigLoader.Load(null, NoEnvironment, overrides);

        Assert.Empty(new TrainConfig().Stn.Initial);
    }

    [Theory]
    [InlineData("dropout.input,dropout.block1", new[] { "dropout.input", "dropout.block1" })]
    [InlineData(" dropout.input , dropout.block1 ", new[] { "dropout.input", "dropout.block1" })]
    [InlineData("dropout.input", new[] { "dropout.input" })]
    [InlineData("", new string[0])]
    [InlineData("null", null)]
    public void Stn_tune_takes_a_comma_separated_list(string text, string[]? expected)
    {
        KeyValuePair<string, string>[] overrides = [new("stn.tune", text)];

        Assert.Equal(expected, TrainConfigLoader.Load(null, NoEnvironment, overrides).Stn.Tune);
    }

    [Theory]
    [InlineData("stn:\n  tune: [dropout.input, dropout.block1]\n")]
    [InlineData("stn:\n  tune:\n    - dropout.input\n    - dropout.block1\n")]
    [InlineData("stn:\n  tune: dropout.input, dropout.block1\n")]
    public void Stn_tune_in_a_file_is_a_yaml_list_or_comma_separated(string yaml)
    {
        var config = TrainConfigLoader.Load(files.Write(yaml), NoEnvironment, NoOverrides);

        Assert.Equal(["dropout.input", "dropout.block1"], config.Stn.Tune);
    }

    [Fact]
    public void Budget_none_with_another_limit_is_fine()
    {
        var path = files.Write("budget: none\nepochs: 2.5\n");

        var config = TrainConfigLoader.Load(path, NoEnvironment, NoOverrides);

        Assert.Null(config.Budget);
        Assert.Equal(2.5, config.Epochs);
    }

    [Fact]
    public void An_empty_file_or_empty_sections_keep_the_defaults()
    {
        Assert.Equal(Yaml(new TrainConfig()), Yaml(TrainConfigLoader.Load(files.Write("# nothing yet\n", "a.yaml"), NoEnvironment, NoOverrides)));
        Assert.Equal(Yaml(new TrainConfig()), Yaml(TrainConfigLoader.Load(files.Write("data:\nmodel: ~\n", "b.yaml"), NoEnvironment, NoOverrides)));
    }

    [Fact]
    public void ToYaml_loads_back_to_the_same_config()
    {
        var config = new TrainConfig
        {
            Seed = 42,
            Budget = TimeSpan.FromSeconds(90),
            Epochs = 2.5,
            MaxSteps = 10_000_000_000,
            Data = new DataConfig
            {
                Path = "/data/my images: #1 \"new\"\\",
                ValidationFraction = 0.1,
                TrainLimit = 1000,
                BatchSize = 64,
                EvalBatchSize = 1000,
            },
            Model = new ModelConfig { Kind = "small-cnn", Depth = 100, GrowthRate = 24, BottleneckWidth = 2, Compression = 1, Norm = "batch" },
            Optimizer = new OptimizerConfig { Kind = "adam", Gain = 0.5, LearningRate = 1e-5, WeightDecay = 5e-4 },
            Stn = new StnConfig
            {
                Enabled = false,
                Tune = ["dropout.input", "dropout.block1"],
                Initial = new Dictionary<string, double> { ["dropout.input"] = 0.1, ["dropout.block1"] = 1.0 / 3 },
                WarmupSteps = 0,
                TrainSteps = 10,
                ValSteps = 2,
                EntropyWeight = 0,
                HyperLearningRate = 0.01,
            },
            Reporting = new ReportingConfig { LogEverySteps = 1, EvalEverySteps = 50, CheckpointEverySteps = 100, KeepCheckpoints = 1 },
        };

        var loaded = TrainConfigLoader.Load(files.Write(Yaml(config)), NoEnvironment, NoOverrides);

        Assert.Equal(Yaml(config), Yaml(loaded));
        Assert.Equal(config.Data.Path, loaded.Data.Path);
        Assert.Equal(1.0 / 3, loaded.Stn.Initial["dropout.block1"]);
    }

    [Fact]
    public void ToYaml_keeps_text_that_reads_as_yaml_null_as_text()
    {
        var config = new TrainConfig { Data = new DataConfig { Path = "null" }, Stn = new StnConfig { Tune = [] } };

        var loaded = TrainConfigLoader.Load(files.Write(Yaml(config)), NoEnvironment, NoOverrides);

        Assert.Equal("null", loaded.Data.Path);
        Assert.Equal(Yaml(config), Yaml(loaded));
    }

    [Fact]
    public void ToYaml_writes_every_key_in_the_file_layout()
    {
        var yaml = Yaml(new TrainConfig());

        Assert.StartsWith("seed: 0\nbudget: 15m\nepochs: null\nmax_steps: null\ndevice: cpu\ndata:\n  path: /usr/share/datasets/fashion-mnist\n", yaml, StringComparison.Ordinal);
        Assert.Contains("stn:\n  enabled: true\n  tune: null\n  initial: {}\n", yaml, StringComparison.Ordinal);
        foreach (var key in ConfigKeys.All)
        {
            Assert.Contains((key.Section.Length == 0 ? "" : "  ") + key.Leaf + ":", yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Text_loads_like_the_same_text_in_a_file()
    {
        const string yaml = "seed: 9\nmax_steps: 50\ndata:\n  batch_size: 16\nstn:\n  tune: [dropout.input]\n";
        var path = files.Write(yaml);
        KeyValuePair<string, string>[] overrides = [new("data.eval_batch_size", "64")];

        var fromText = TrainConfigLoader.LoadText(yaml, "the run config", NoEnvironment, overrides);

        Assert.Equal(Yaml(TrainConfigLoader.Load(path, NoEnvironment, overrides)), Yaml(fromText));
        Assert.Equal(9, fromText.Seed);
        Assert.Equal(64, fromText.Data.EvalBatchSize);
    }

    [Fact]
    public void Errors_in_text_name_the_text_and_its_line()
    {
        var e = Assert.Throws<UserError>(() => TrainConfigLoader.LoadText("seed: 1\ndata:\n  batch_size: many\n", "the run config", NoEnvironment, NoOverrides));

        Assert.Equal("data.batch_size must be an integer, got 'many' (the run config line 3).", e.Message);
    }

    [Fact]
    public void ParseOverride_splits_at_the_first_equals_sign()
    {
        Assert.Equal(new KeyValuePair<string, string>("stn.initial.dropout.input", "0.1"), TrainConfigLoader.ParseOverride("stn.initial.dropout.input=0.1"));
        Assert.Equal(new KeyValuePair<string, string>("data.path", "/a=b"), TrainConfigLoader.ParseOverride(" data.path =/a=b"));
        Assert.Equal(new KeyValuePair<string, string>("epochs", ""), TrainConfigLoader.ParseOverride("epochs="));
    }

    [Theory]
    [InlineData("data.path")]
    [InlineData("=5")]
    [InlineData(" =5")]
    public void ParseOverride_refuses_text_without_a_key(string text)
    {
        var e = Assert.Throws<UserError>(() => TrainConfigLoader.ParseOverride(text));
        Assert.Contains("KEY=VALUE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvePath_prefers_the_requested_file() =>
        Assert.Equal("mine.yaml", TrainConfigLoader.ResolvePath("mine.yaml"));

    private static string Yaml(TrainConfig config) => TrainConfigLoader.ToYaml(config).ReplaceLineEndings("\n");
}
