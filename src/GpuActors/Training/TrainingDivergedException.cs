namespace HyperSwarm.GpuActors.Training;

/// <summary>The training loss became NaN, infinite or far above a guess's, past every recovery: the weights are no longer usable.</summary>
public sealed class TrainingDivergedException(long step, double loss)
    : Exception($"training diverged at weight step {step} (loss {loss}) and stayed diverged at ever smaller steps; train again with a smaller optimizer.gain (AGD) or optimizer.learning_rate, or another seed.")
{
    /// <summary>The weight step whose loss was not finite.</summary>
    public long Step { get; } = step;
}
