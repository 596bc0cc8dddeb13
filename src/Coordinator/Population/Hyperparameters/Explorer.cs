using HyperSwarm.Protocol.Hyperparameters;
namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// PBT's explore step (ALGORITHMS.md §8) on constrained values: each hyperparameter is either
/// drawn afresh from its range (two-sided kinds only, with the resample probability) or
/// multiplied by the down or the up factor on a fair coin; the result is clamped into its range
/// and a discrete one stays an integer. σ, s and the gate coefficients are kept.
/// </summary>
public static class Explorer
{
    /// <summary>
    /// <paramref name="source"/> explored, stamped with <paramref name="step"/>. Draws exactly two
    /// numbers per hyperparameter, in column order (resample-or-not, then the coin or the position
    /// in the range), so a scripted random in a test knows what each draw decides.
    /// </summary>
    public static HyperparameterSet Explore(HyperparameterSet source, PopulationOptions options, IRandom random, long step)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var values = source.Values.Select(v => Explore(v, options, random)).ToArray();
        return source with { Values = [.. values], Step = step };
    }

    /// <summary>One hyperparameter explored (two draws).</summary>
    public static HyperparameterValue Explore(HyperparameterValue value, PopulationOptions options, IRandom random)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        // A one-sided range has no uniform prior to draw from, so it is always perturbed.
        var resample = random.NextDouble() < options.ResampleProbability && value.IsTwoSided;
        var u = random.NextDouble();
        if (resample) return value.WithValue(Resample(value, u));
        return value.WithValue(Perturb(value, u < 0.5 ? options.PerturbDown : options.PerturbUp));
    }

    private static double Resample(HyperparameterValue value, double u) => value.Kind == HyperparameterKind.Discrete
        ? Math.Floor(value.Lower + u * (value.Upper - value.Lower + 1))
        : value.Lower + u * (value.Upper - value.Lower);

    private static double Perturb(HyperparameterValue value, double factor)
    {
        var scaled = value.Value * factor;
        if (value.Kind != HyperparameterKind.Discrete) return scaled;
        // ×1.2 of a small integer rounds back to itself; a perturbation must move it at least one step.
        var rounded = Math.Round(scaled, MidpointRounding.AwayFromZero);
        var upwards = scaled > value.Value || (scaled == value.Value && factor > 1);
        return upwards ? Math.Max(rounded, value.Value + 1) : Math.Min(rounded, value.Value - 1);
    }
}
