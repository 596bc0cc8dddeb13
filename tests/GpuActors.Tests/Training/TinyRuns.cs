using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.GpuActors.Tests.Training;

/// <summary>Run configs small enough that whole training runs on <see cref="SyntheticImages"/> take seconds.</summary>
internal static class TinyRuns
{
    /// <summary>Accuracy no 10-class guesser reaches by chance on 300 test images; the synthetic data is learnt far above it.</summary>
    public const double WellAboveChance = 0.5;

    public static TrainConfig Config(string dataPath, string model = "small-cnn", bool stn = true, string optimizer = "agd", long? maxSteps = 20) => new()
    {
        Seed = 3,
        Budget = null,
        MaxSteps = maxSteps,
        Data = new DataConfig { Path = dataPath, BatchSize = 32, EvalBatchSize = 100 },
        Model = new ModelConfig { Kind = model, Depth = 10, GrowthRate = 4 },
        Optimizer = new OptimizerConfig { Kind = optimizer },
        Stn = new StnConfig { Enabled = stn, WarmupSteps = 4, TrainSteps = 2, ValSteps = 1 },
        Reporting = new ReportingConfig { LogEverySteps = 5, CheckpointEverySteps = 10 },
    };
}
