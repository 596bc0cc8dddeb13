namespace HyperSwarm.GpuActors.Compression;

/// <summary>
/// How long <see cref="FineTuning"/> trains: a wall-clock duration (<c>export --finetune 2m</c>)
/// or a number of weight steps (benchmarks, where equal steps keep arms comparable on a busy
/// machine), whichever comes first.
/// </summary>
public sealed record FineTuneBudget(TimeSpan? Duration, long? Steps)
{
    /// <summary>Throws one sentence when the budget never ends or is not positive.</summary>
    public void Validate()
    {
        if (Duration is null && Steps is null) throw new ArgumentException("a fine-tuning budget needs a duration or a number of steps.");
        if (Duration is { } d && d <= TimeSpan.Zero) throw new ArgumentException($"a fine-tuning duration must be positive, got {d}.");
        if (Steps is < 1) throw new ArgumentException($"a fine-tuning run needs at least one step, got {Steps}.");
    }
}
