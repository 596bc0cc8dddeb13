namespace HyperSwarm.GpuActors.Training;

/// <summary>The training loss became NaN or infinite: the weights are no longer usable.</summary>
public sealed class TrainingDivergedException(long step, double loss)
    : Exception($"training diverged at weight step {step} (loss {loss}); resume from the last checkpoint with another seed, or pick a steadier optimizer.")
{
    /// <summary>The weight step whose loss was not finite.</summary>
    public long Step { get; } = step;
}
