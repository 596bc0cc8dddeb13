namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Everything one training run needs, resolved: the file <c>config/fashion-mnist.yaml</c> maps
/// onto it key for key (snake_case), flags and environment variables override it, and the run
/// directory stores the resolved copy. Every default is the zero-configuration choice.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>Seeds the weights, the splits, the shuffles and every perturbation.</summary>
    public int Seed { get; init; }

    /// <summary>Wall-clock budget of the training loop; training stops at the first limit reached.</summary>
    public TimeSpan? Budget { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A population member's run end (set by its worker, never read from a config file): the
    /// schedules follow the run's progress while the member trains on until its coordinator stops it.
    /// </summary>
    [NotConfigurable]
    public RunHorizon? Horizon { get; init; }

    /// <summary>Passes over the training split; null for as many as the budget allows.</summary>
    public double? Epochs { get; init; }

    /// <summary>Weight steps; null for as many as the other limits allow (tests and benchmarks).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Where training runs: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (needs a CUDA build of libhstorch).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>The data and its splits.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>The network.</summary>
    public ModelConfig Model { get; init; } = new();

    /// <summary>The weight optimizer.</summary>
    public OptimizerConfig Optimizer { get; init; } = new();

    /// <summary>Self-tuning: which hyperparameters, their starting values, the alternating schedule.</summary>
    public StnConfig Stn { get; init; } = new();

    /// <summary>Targeted dropout for a compact export (off by default).</summary>
    public CompressionConfig Compression { get; init; } = new();

    /// <summary>How often the run records, evaluates and checkpoints.</summary>
    public ReportingConfig Reporting { get; init; } = new();

    /// <summary>Throws one sentence naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (Budget is { } b && b <= TimeSpan.Zero) throw new ArgumentException($"budget must be positive, got {b}.");
        if (Epochs is { } e && !(e > 0)) throw new ArgumentException($"epochs must be positive, got {e}.");
        if (MaxSteps is { } s && s < 1) throw new ArgumentException($"max_steps must be at least 1, got {s}.");
        if (Budget is null && Epochs is null && MaxSteps is null && Horizon is null)
        {
            throw new ArgumentException("set at least one of budget, epochs or max_steps, or the run never ends.");
        }

        _ = TrainingDevice.Parse(Device); // presence is checked where training starts, not here

        Data.Validate();
        Model.Validate();
        Optimizer.Validate();
        Stn.Validate();
        Compression.Validate();
        Reporting.Validate();
    }
}
