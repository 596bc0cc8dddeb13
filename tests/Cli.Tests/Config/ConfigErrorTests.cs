using HyperSwarm.Cli.Config;

namespace HyperSwarm.Cli.Tests.Config;

/// <summary>Every kind of bad input is one <see cref="UserError"/> sentence naming the setting and where it was written.</summary>
public sealed class ConfigErrorTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private static readonly KeyValuePair<string, string>[] NoOverrides = [];

    private readonly ConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void A_wrong_type_in_the_file_names_key_value_file_and_line()
    {
        var path = files.Write("seed: 1\nbudget: 15m\n\ndata:\n  batch_size: abc\n");

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.Equal($"data.batch_size must be an integer, got 'abc' ({path} line 5).", e.Message);
    }

    /// <summary>YAML that is read but wrong: (file text, text the message holds, line it names).</summary>
    public static TheoryData<string, string, int> FileMistakes => new()
    {
        { "seed: 1.5\n", "seed must be an integer, got '1.5'", 1 },
        { "seed: 99999999999\n", "seed must be an integer, got '99999999999'", 1 },
        { "seed: null\n", "seed must be an integer, got null", 1 },
        { "data:\n  path: ~\n", "data.path must be text, got null", 2 },
        { "data:\n  validation_fraction: .nan\n", "data.validation_fraction must be a number, got '.nan'", 2 },
        { "stn:\n  enabled: maybe\n", "stn.enabled must be true or false, got 'maybe'", 2 },
        { "budget: 45\n", "budget is not a duration: '45' has no unit, write for example 45s or 45m", 1 },
        { "budget: soon\n", "budget is not a duration: 'soon' is not a duration", 1 },
        { "seed: [1, 2]\n", "seed must be a single value, got a list", 1 },
        { "data:\n  batch_size:\n    value: 3\n", "data.batch_size must be a single value, got a mapping", 2 },
        { "data: 5\n", "data must hold settings as indented 'key: value' lines such as 'path: ...', got '5'", 1 },
        { "data:\n  - path\n", "data must hold settings as indented 'key: value' lines", 1 },
        { "stn:\n  tune: {a: 1}\n", "stn.tune must be a list of names, got a mapping", 2 },
        { "stn:\n  tune: [a, [b]]\n", "stn.tune must be a list of names, got a list in the list", 2 },
        { "stn:\n  tune: [a, ~]\n", "stn.tune must be a list of names, got null in the list", 2 },
        { "stn:\n  tune: 'a,,b'\n", "stn.tune must be a comma-separated list of names, got 'a,,b' with an empty name", 2 },
        { "stn:\n  tune: [a, a]\n", "stn.tune names 'a' twice", 2 },
        { "stn:\n  initial: [0.1]\n", "stn.initial must be name: number entries, got a list", 2 },
        { "stn:\n  initial:\n    dropout.input: high\n", "stn.initial.dropout.input must be a number, got 'high'", 3 },
        { "stn:\n  initial:\n\n    dropout.input: [1]\n", "stn.initial.dropout.input must be a number, got a list", 4 },
        { "stn:\n  initial:\n    ~: 1\n", "stn.initial names must be words", 3 },
        { "data.path: /x\n", "data.path must be written as 'path:' indented under 'data:'", 1 },
        { "stn:\n  initial.dropout.input: 0.1\n", "stn.initial.dropout.input must be written as 'dropout.input:' indented under 'initial:' in 'stn:'", 2 },
        { "[a]: 1\n", "setting names must be words such as batch_size, got a list", 1 },
        { "- seed: 1\n", "must hold settings as 'key: value' lines", 1 },
        { "just text\n", "must hold settings as 'key: value' lines", 1 },
    };

    [Theory]
    [MemberData(nameof(FileMistakes))]
    public void A_mistake_in_the_file_names_the_setting_and_line(string yaml, string expected, int line)
    {
        var path = files.Write(yaml);

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains($"{path} line {line})", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Unknown names: (file text, the name, the suggestion or null, the line).</summary>
    public static TheoryData<string, string, string?, int> UnknownNames => new()
    {
        { "data:\n  batch_sise: 3\n", "data.batch_sise", "data.batch_size", 2 },
        { "model:\n  kind: small-cnn\n  growthRate: 4\n", "model.growthRate", "model.growth_rate", 3 },
        { "optimiser:\n  kind: adam\n", "optimiser", "optimizer", 1 },
        { "batch_size: 3\n", "batch_size", "data.batch_size", 1 },
        { "data:\n  seed: 3\n", "data.seed", "seed", 2 },
        { "data:\n  path.x: /x\n", "data.path.x", "data.path", 2 },
        { "colour: red\n", "colour", null, 1 },
    };

    [Theory]
    [MemberData(nameof(UnknownNames))]
    public void An_unknown_name_in_the_file_suggests_the_nearest_known_one(string yaml, string name, string? suggestion, int line)
    {
        var path = files.Write(yaml);

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.StartsWith($"unknown setting {name} ({path} line {line})", e.Message, StringComparison.Ordinal);
        if (suggestion is null)
        {
            Assert.DoesNotContain("did you mean", e.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith($"did you mean {suggestion}?", e.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>Text that is not YAML: (file text, the line the error names).</summary>
    public static TheoryData<string, int> BrokenYaml => new()
    {
        { "data:\n  path: 'unclosed\n", 2 },
        { "seed: 1\nseed: 2\n", 2 },
        { "data:\n\tpath: /x\n", 1 },
        { "seed: 1\nbudget: a: b\n", 2 },
        { "budget: *later\n", 1 },
        { "stn:\n  tune: [a\nseed: 1\n", 3 },
        { "seed: 1\n---\nseed: 2\n", 3 },
    };

    [Theory]
    [MemberData(nameof(BrokenYaml))]
    public void Text_that_is_not_yaml_names_the_file_and_a_line(string yaml, int line)
    {
        var path = files.Write(yaml);

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.StartsWith($"{path} ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"({path} line {line})", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("]")]
    [InlineData(":")]
    [InlineData("? [a]\n: 1\n")]
    [InlineData("!!binary x")]
    [InlineData("%YAML 9.9\n---\na: 1\n")]
    [InlineData("a: \"\\q\"\n")]
    [InlineData("a: &x\n  b: *x\n")]
    [InlineData("data: &d\n  path: /x\nmodel: *d\n")]
    [InlineData("\"seed\": '1'\n")]
    [InlineData("seed: !!str 1\n")]
    public void Odd_yaml_never_escapes_as_a_raw_exception(string yaml)
    {
        var path = files.Write(yaml);

        var e = Record.Exception(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.True(e is null or UserError, e?.ToString());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(files.Folder, "absent.yaml");

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.Equal($"config file {path} does not exist.", e.Message);
    }

    [Fact]
    public void A_missing_folder_is_a_missing_file()
    {
        var path = Path.Combine(files.Folder, "nope", "absent.yaml");

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.Equal($"config file {path} does not exist.", e.Message);
    }

    [Fact]
    public void A_folder_is_not_a_config_file()
    {
        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(files.Folder, NoEnvironment, NoOverrides));

        Assert.Equal($"config file {files.Folder} is a directory.", e.Message);
    }

    [Fact]
    public void A_bad_environment_value_names_the_variable()
    {
        var environment = new Dictionary<string, string> { ["HYPERSWARM_DATA__BATCH_SIZE"] = "abc" };

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(null, environment, NoOverrides));

        Assert.Equal("data.batch_size must be an integer, got 'abc' (environment variable HYPERSWARM_DATA__BATCH_SIZE).", e.Message);
    }

    /// <summary>Bad flags: (key, value, text the message holds).</summary>
    public static TheoryData<string, string, string> FlagMistakes => new()
    {
        { "data.batch_size", "1.5", "data.batch_size must be an integer, got '1.5' (--set data.batch_size=1.5)." },
        { "data.validation_fraction", "NaN", "data.validation_fraction must be a number, got 'NaN' (--set data.validation_fraction=NaN)." },
        { "data.image_size", "big", "data.image_size must be an integer, got 'big' (--set data.image_size=big)." },
        { "budget", "45", "budget is not a duration: '45' has no unit, write for example 45s or 45m (--set budget=45)." },
        { "stn.enabled", "maybe", "stn.enabled must be true or false, got 'maybe' (--set stn.enabled=maybe)." },
        { "optimizer.spectral", "2", "optimizer.spectral must be true or false, got '2' (--set optimizer.spectral=2)." },
        { "stn.initial.dropout.input", "abc", "stn.initial.dropout.input must be a number, got 'abc' (--set stn.initial.dropout.input=abc)." },
        { "stn.initial", "dropout.input", "stn.initial must be name=value pairs separated by commas, got 'dropout.input' (--set stn.initial=dropout.input)." },
        { "stn.initial", "a=1,b=x", "stn.initial gives b the value 'x', which is not a number (--set stn.initial=a=1,b=x)." },
        { "stn.initial", "a=1,a=2", "stn.initial names 'a' twice (--set stn.initial=a=1,a=2)." },
        { "data.pth", "/x", "unknown setting data.pth (--set data.pth=/x); did you mean data.path?" },
        { "stn.initial.", "1", "unknown setting stn.initial. (--set stn.initial.=1); did you mean stn.initial?" },
        { "data", "/x", "data is a section, not a setting; set one of its keys such as data.path (--set data=/x)." },
    };

    [Theory]
    [MemberData(nameof(FlagMistakes))]
    public void A_bad_flag_names_the_flag(string key, string value, string expected)
    {
        KeyValuePair<string, string>[] overrides = [new(key, value)];

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(null, NoEnvironment, overrides));

        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Budget_none_without_epochs_or_max_steps_fails_validation_at_its_line()
    {
        var path = files.Write("seed: 3\nbudget: none\n");

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));

        Assert.Equal($"set at least one of budget, epochs or max_steps, or the run never ends ({path} line 2).", e.Message);
    }

    [Fact]
    public void A_validation_failure_points_at_where_the_value_was_set()
    {
        var path = files.Write("data:\n  batch_size: 0\n");
        KeyValuePair<string, string>[] overrides = [new("model.kind", "resnet")];

        var fromFile = Assert.Throws<UserError>(() => TrainConfigLoader.Load(path, NoEnvironment, NoOverrides));
        var fromFlag = Assert.Throws<UserError>(() => TrainConfigLoader.Load(null, NoEnvironment, overrides));

        Assert.Equal($"data.batch_size must be at least 1, got 0 ({path} line 2).", fromFile.Message);
        Assert.Equal("model.kind must be one of densenet-bc, small-cnn, got 'resnet' (--set model.kind=resnet).", fromFlag.Message);
    }

    [Fact]
    public void A_validation_failure_names_the_source_of_the_key_it_mentions()
    {
        var environment = new Dictionary<string, string> { ["HYPERSWARM_STN__VAL_STEPS"] = "0" };

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(null, environment, NoOverrides));

        Assert.Equal("stn.train_steps and stn.val_steps must be ≥ 1, got 20 and 0 (environment variable HYPERSWARM_STN__VAL_STEPS).", e.Message);
    }

    [Theory]
    [InlineData("device", "tpu", "device: 'tpu' is not a device: use cpu, cuda or cuda:N (--set device=tpu).")]
    [InlineData("optimizer.average_epochs", "0", "optimizer.average_epochs must be positive, got 0 (--set optimizer.average_epochs=0).")]
    [InlineData("optimizer.momentum", "1", "optimizer.momentum must be at least 0 and below 1, got 1 (--set optimizer.momentum=1).")]
    [InlineData("optimizer.cooldown", "1", "optimizer.cooldown must be at least 0 and below 1, got 1 (--set optimizer.cooldown=1).")]
    [InlineData("optimizer.gain", "0", "optimizer.gain must be positive, got 0 (--set optimizer.gain=0).")]
    [InlineData("optimizer.weight_decay", "-0.5", "optimizer.weight_decay must be ≥ 0, got -0.5 (--set optimizer.weight_decay=-0.5).")]
    [InlineData("stn.val_batch_size", "0", "stn.val_batch_size must be at least 1, got 0 (--set stn.val_batch_size=0).")]
    [InlineData("model.first_hyper_block", "4", "model.first_hyper_block must be 1, 2 or 3, got 4 (--set model.first_hyper_block=4).")]
    [InlineData("data.image_size", "30", "data.image_size must be null (chosen from the images) or a multiple of 4 from 8 to 256, got 30 (--set data.image_size=30).")]
    [InlineData("data.image_size", "4", "data.image_size must be null (chosen from the images) or a multiple of 4 from 8 to 256, got 4 (--set data.image_size=4).")]
    public void The_device_and_average_horizon_are_validated_with_their_source(string key, string value, string message)
    {
        KeyValuePair<string, string>[] overrides = [new(key, value)];

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(null, NoEnvironment, overrides));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_negative_budget_fails_validation()
    {
        KeyValuePair<string, string>[] overrides = [new("budget", "-5m")];

        var e = Assert.Throws<UserError>(() => TrainConfigLoader.Load(null, NoEnvironment, overrides));

        Assert.StartsWith("budget must be positive", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(--set budget=-5m).", e.Message, StringComparison.Ordinal);
    }
}
