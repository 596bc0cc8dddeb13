using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Config;

/// <summary>
/// Every setting of <see cref="TrainConfig"/> by its snake_case name, in the order
/// <see cref="TrainConfigLoader.ToYaml"/> writes them: top-level keys, then one section per record.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>The sections, in file order; each is a nested record of <see cref="TrainConfig"/>.</summary>
    public static readonly IReadOnlyList<string> Sections = ["data", "model", "optimizer", "stn", "compression", "reporting"];

    /// <summary><c>stn.initial</c>: starting hyperparameter values by name.</summary>
    public static readonly NumberMapKey StnInitial = new(
        "stn.initial", c => c.Stn.Initial, (c, v) => c with { Stn = c.Stn with { Initial = v } });

    /// <summary>All keys, top-level first, then section by section in record order.</summary>
    public static readonly IReadOnlyList<ConfigKey> All =
    [
        Top("seed", ScalarTypes.Int, c => c.Seed, (c, v) => c with { Seed = v }),
        Top("budget", ScalarTypes.Duration, c => c.Budget, (c, v) => c with { Budget = v }),
        Top("epochs", ScalarTypes.OrNull(ScalarTypes.Number), c => c.Epochs, (c, v) => c with { Epochs = v }),
        Top("max_steps", ScalarTypes.OrNull(ScalarTypes.Long), c => c.MaxSteps, (c, v) => c with { MaxSteps = v }),
        Top("device", ScalarTypes.Text, c => c.Device, (c, v) => c with { Device = v }),

        Data("path", ScalarTypes.Text, d => d.Path, (d, v) => d with { Path = v }),
        Data("validation_fraction", ScalarTypes.Number, d => d.ValidationFraction, (d, v) => d with { ValidationFraction = v }),
        Data("train_limit", ScalarTypes.OrNull(ScalarTypes.Int), d => d.TrainLimit, (d, v) => d with { TrainLimit = v }),
        Data("image_size", ScalarTypes.OrNull(ScalarTypes.Int), d => d.ImageSize, (d, v) => d with { ImageSize = v }),
        Data("batch_size", ScalarTypes.Int, d => d.BatchSize, (d, v) => d with { BatchSize = v }),
        Data("eval_batch_size", ScalarTypes.Int, d => d.EvalBatchSize, (d, v) => d with { EvalBatchSize = v }),

        Model("kind", ScalarTypes.Text, m => m.Kind, (m, v) => m with { Kind = v }),
        Model("depth", ScalarTypes.Int, m => m.Depth, (m, v) => m with { Depth = v }),
        Model("growth_rate", ScalarTypes.Int, m => m.GrowthRate, (m, v) => m with { GrowthRate = v }),
        Model("bottleneck_width", ScalarTypes.Int, m => m.BottleneckWidth, (m, v) => m with { BottleneckWidth = v }),
        Model("compression", ScalarTypes.Number, m => m.Compression, (m, v) => m with { Compression = v }),
        Model("norm", ScalarTypes.Text, m => m.Norm, (m, v) => m with { Norm = v }),
        Model("first_hyper_block", ScalarTypes.Int, m => m.FirstHyperBlock, (m, v) => m with { FirstHyperBlock = v }),

        Optimizer("kind", ScalarTypes.Text, o => o.Kind, (o, v) => o with { Kind = v }),
        Optimizer("gain", ScalarTypes.OrNull(ScalarTypes.Number), o => o.Gain, (o, v) => o with { Gain = v }),
        Optimizer("momentum", ScalarTypes.Number, o => o.Momentum, (o, v) => o with { Momentum = v }),
        Optimizer("cooldown", ScalarTypes.Number, o => o.Cooldown, (o, v) => o with { Cooldown = v }),
        Optimizer("learning_rate", ScalarTypes.OrNull(ScalarTypes.Number), o => o.LearningRate, (o, v) => o with { LearningRate = v }),
        Optimizer("average_weights", ScalarTypes.OrNull(ScalarTypes.Bool), o => o.AverageWeights, (o, v) => o with { AverageWeights = v }),
        Optimizer("average_epochs", ScalarTypes.Number, o => o.AverageEpochs, (o, v) => o with { AverageEpochs = v }),
        Optimizer("weight_decay", ScalarTypes.Number, o => o.WeightDecay, (o, v) => o with { WeightDecay = v }),
        Optimizer("spectral", ScalarTypes.OrNull(ScalarTypes.Bool), o => o.Spectral, (o, v) => o with { Spectral = v }),

        Stn("enabled", ScalarTypes.Bool, s => s.Enabled, (s, v) => s with { Enabled = v }),
        new NameListKey("stn.tune", c => c.Stn.Tune, (c, v) => c with { Stn = c.Stn with { Tune = v } }),
        StnInitial,
        Stn("warmup_steps", ScalarTypes.Int, s => s.WarmupSteps, (s, v) => s with { WarmupSteps = v }),
        Stn("train_steps", ScalarTypes.Int, s => s.TrainSteps, (s, v) => s with { TrainSteps = v }),
        Stn("val_steps", ScalarTypes.Int, s => s.ValSteps, (s, v) => s with { ValSteps = v }),
        Stn("val_batch_size", ScalarTypes.OrNull(ScalarTypes.Int), s => s.ValBatchSize, (s, v) => s with { ValBatchSize = v }),
        Stn("entropy_weight", ScalarTypes.Number, s => s.EntropyWeight, (s, v) => s with { EntropyWeight = v }),
        Stn("hyper_learning_rate", ScalarTypes.Number, s => s.HyperLearningRate, (s, v) => s with { HyperLearningRate = v }),
        Stn("objective", ScalarTypes.Text, s => s.Objective, (s, v) => s with { Objective = v }),

        Compression("sparsity", ScalarTypes.OrNull(ScalarTypes.Number), c => c.Sparsity, (c, v) => c with { Sparsity = v }),
        Compression("targeting", ScalarTypes.Text, c => c.Targeting, (c, v) => c with { Targeting = v }),

        Reporting("log_every_steps", ScalarTypes.Int, r => r.LogEverySteps, (r, v) => r with { LogEverySteps = v }),
        Reporting("eval_every_steps", ScalarTypes.OrNull(ScalarTypes.Int), r => r.EvalEverySteps, (r, v) => r with { EvalEverySteps = v }),
        Reporting("checkpoint_every_steps", ScalarTypes.Int, r => r.CheckpointEverySteps, (r, v) => r with { CheckpointEverySteps = v }),
        Reporting("keep_checkpoints", ScalarTypes.Int, r => r.KeepCheckpoints, (r, v) => r with { KeepCheckpoints = v }),
    ];

    private static readonly Dictionary<string, ConfigKey> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>
    /// The key named <paramref name="name"/>, including one entry of a map key
    /// (<c>stn.initial.dropout.input</c>); null if there is none.
    /// </summary>
    public static ConfigKey? Find(string name)
    {
        if (ByName.TryGetValue(name, out var key)) return key;
        var entryPrefix = StnInitial.Name + ".";
        return name.StartsWith(entryPrefix, StringComparison.Ordinal) && name.Length > entryPrefix.Length
            ? StnInitial.Entry(name[entryPrefix.Length..])
            : null;
    }

    /// <summary>The names an unknown name is compared with for a suggestion: every key and section.</summary>
    public static IEnumerable<string> Names => Sections.Concat(All.Select(k => k.Name));

    private static ScalarKey<T> Top<T>(string name, ScalarType<T> type, Func<TrainConfig, T> get, Func<TrainConfig, T, TrainConfig> set) =>
        new(name, type, get, set);

    private static ScalarKey<T> Data<T>(string leaf, ScalarType<T> type, Func<DataConfig, T> get, Func<DataConfig, T, DataConfig> set) =>
        new("data." + leaf, type, c => get(c.Data), (c, v) => c with { Data = set(c.Data, v) });

    private static ScalarKey<T> Model<T>(string leaf, ScalarType<T> type, Func<ModelConfig, T> get, Func<ModelConfig, T, ModelConfig> set) =>
        new("model." + leaf, type, c => get(c.Model), (c, v) => c with { Model = set(c.Model, v) });

    private static ScalarKey<T> Optimizer<T>(string leaf, ScalarType<T> type, Func<OptimizerConfig, T> get, Func<OptimizerConfig, T, OptimizerConfig> set) =>
        new("optimizer." + leaf, type, c => get(c.Optimizer), (c, v) => c with { Optimizer = set(c.Optimizer, v) });

    private static ScalarKey<T> Stn<T>(string leaf, ScalarType<T> type, Func<StnConfig, T> get, Func<StnConfig, T, StnConfig> set) =>
        new("stn." + leaf, type, c => get(c.Stn), (c, v) => c with { Stn = set(c.Stn, v) });

    private static ScalarKey<T> Compression<T>(string leaf, ScalarType<T> type, Func<CompressionConfig, T> get, Func<CompressionConfig, T, CompressionConfig> set) =>
        new("compression." + leaf, type, c => get(c.Compression), (c, v) => c with { Compression = set(c.Compression, v) });

    private static ScalarKey<T> Reporting<T>(string leaf, ScalarType<T> type, Func<ReportingConfig, T> get, Func<ReportingConfig, T, ReportingConfig> set) =>
        new("reporting." + leaf, type, c => get(c.Reporting), (c, v) => c with { Reporting = set(c.Reporting, v) });
}
