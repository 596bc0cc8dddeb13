namespace HyperSwarm.GpuActors.Training;

/// <summary>Metrics, evaluation and checkpoint cadence.</summary>
public sealed record ReportingConfig
{
    /// <summary>Weight steps between metric lines (and progress updates).</summary>
    public int LogEverySteps { get; init; } = 20;

    /// <summary>Weight steps between validation evaluations; null for once per epoch.</summary>
    public int? EvalEverySteps { get; init; }

    /// <summary>Weight steps between checkpoints.</summary>
    public int CheckpointEverySteps { get; init; } = 500;

    /// <summary>Checkpoints kept on disk (the newest ones).</summary>
    public int KeepCheckpoints { get; init; } = 3;

    internal void Validate()
    {
        if (LogEverySteps < 1) throw new ArgumentException($"reporting.log_every_steps must be at least 1, got {LogEverySteps}.");
        if (EvalEverySteps is { } e && e < 1) throw new ArgumentException($"reporting.eval_every_steps must be at least 1, got {e}.");
        if (CheckpointEverySteps < 1) throw new ArgumentException($"reporting.checkpoint_every_steps must be at least 1, got {CheckpointEverySteps}.");
        if (KeepCheckpoints < 1) throw new ArgumentException($"reporting.keep_checkpoints must be at least 1, got {KeepCheckpoints}.");
    }
}
