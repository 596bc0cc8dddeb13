using System.Collections.Immutable;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// The knobs of population-based training. Defaults follow ALGORITHMS.md §8 (quantile 0.25,
/// perturbation ×0.8/×1.2, resample probability 0.25); docs/population.md explains each rule.
/// </summary>
public sealed record PopulationOptions
{
    /// <summary>Number of members.</summary>
    public int Size { get; init; } = 4;

    /// <summary>Steps a member trains after its last exchange, exploit or restore before it may be selected again.</summary>
    public long ReadySteps { get; init; } = 1000;

    /// <summary>A member finishes when it reports this step.</summary>
    public long TotalSteps { get; init; } = 10_000;

    /// <summary>
    /// The run's wall-clock budget from its start; null for none. Once it is spent the run ends:
    /// every member is finished (running ones stopped, each with a checkpoint). Members never stop
    /// by the clock themselves; their schedules follow the run's progress (<see cref="RunWindow"/>).
    /// </summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Fraction of the ranked population in the bottom (and in the top) of truncation selection.</summary>
    public double Quantile { get; init; } = 0.25;

    /// <summary>Probability that explore draws a two-sided hyperparameter afresh from its range instead of perturbing it.</summary>
    public double ResampleProbability { get; init; } = 0.25;

    /// <summary>Explore's multiplicative perturbation downwards (a coin picks this or <see cref="PerturbUp"/>).</summary>
    public double PerturbDown { get; init; } = 0.8;

    /// <summary>Explore's multiplicative perturbation upwards.</summary>
    public double PerturbUp { get; init; } = 1.2;

    /// <summary>
    /// Exploit (copy weights) when the weak member's validation loss exceeds the strong one's by
    /// more than this fraction of the strong one's loss; closer pairs exchange hyperparameters only.
    /// </summary>
    public double ExploitRelativeGap { get; init; } = 0.10;

    /// <summary>Exploit anyway when the weak member was in the bottom this many ready rounds in a row.</summary>
    public int ExploitAfterBehindRounds { get; init; } = 3;

    /// <summary>A report older than this is not fresh: its member is not selected (its worker may be stalled).</summary>
    public TimeSpan ReportMaxAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Restarts (after failure or divergence) allowed without progress before a member is marked failed.</summary>
    public int MaxRestarts { get; init; } = 3;

    /// <summary>Tuned hyperparameters and their ranges; empty lets workers start from their own configuration.</summary>
    public ImmutableArray<HyperparameterRange> Space { get; init; } = [];

    /// <summary>Member ids are this prefix and a zero-padded index (m00 … m15), so they sort in creation order.</summary>
    public string MemberIdPrefix { get; init; } = "m";

    /// <summary>Throws one sentence naming the first impossible setting.</summary>
    public void Validate()
    {
        if (Size < 1) throw new ArgumentException($"population size must be at least 1, got {Size}.");
        if (ReadySteps < 1) throw new ArgumentException($"ready steps must be at least 1, got {ReadySteps}.");
        if (TotalSteps < 1) throw new ArgumentException($"total steps must be at least 1, got {TotalSteps}.");
        if (Budget is { } budget && budget <= TimeSpan.Zero) throw new ArgumentException($"the run's budget must be positive, got {budget}.");
        if (!(Quantile > 0 && Quantile <= 0.5)) throw new ArgumentException($"quantile must be in (0, 0.5], got {Quantile}.");
        if (!(ResampleProbability >= 0 && ResampleProbability <= 1))
            throw new ArgumentException($"resample probability must be in [0, 1], got {ResampleProbability}.");
        if (!(PerturbDown > 0 && PerturbDown < 1 && PerturbUp > 1))
            throw new ArgumentException($"perturbation factors must satisfy 0 < down < 1 < up, got {PerturbDown} and {PerturbUp}.");
        if (!(ExploitRelativeGap >= 0)) throw new ArgumentException($"exploit gap must be non-negative, got {ExploitRelativeGap}.");
        if (ExploitAfterBehindRounds < 1)
            throw new ArgumentException($"exploit-after rounds must be at least 1, got {ExploitAfterBehindRounds}.");
        if (ReportMaxAge <= TimeSpan.Zero) throw new ArgumentException($"report max age must be positive, got {ReportMaxAge}.");
        if (MaxRestarts < 0) throw new ArgumentException($"max restarts must be non-negative, got {MaxRestarts}.");
        foreach (var range in Space) range.Validate();
        var duplicate = Space.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"hyperparameter {duplicate.Key} is declared twice.");
    }

    /// <summary>The id of member <paramref name="index"/>.</summary>
    public string MemberId(int index) =>
        MemberIdPrefix + index.ToString(new string('0', Math.Max(2, (Size - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length)), System.Globalization.CultureInfo.InvariantCulture);
}
