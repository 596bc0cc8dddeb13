namespace HyperSwarm.Protocol.Hyperparameters;

/// <summary>
/// The host-side maps between a hyperparameter's legal value λ and its unconstrained λ̃
/// (ALGORITHMS.md §1.3; hyperparameters.proto documents the same formulas): the coordinator's when
/// it changes a value and must send the matching λ̃, the worker's STN when it starts from one (its
/// tensor form is <c>HyperparameterSpace</c>).
/// </summary>
public static class HyperparameterTransform
{
    // Open ranges: λ̃ = logit(...) or softplus⁻¹(...) is infinite on the bound itself, so a
    // clamped value stays this fraction of the range (or of the bound's magnitude) inside it.
    private const double Inset = 1e-6;

    /// <summary><paramref name="value"/> moved into the legal range; discrete values are rounded to an integer.</summary>
    public static double Clamp(HyperparameterKind kind, double lower, double upper, double value) => kind switch
    {
        HyperparameterKind.Bounded => Math.Clamp(value, lower + Inset * (upper - lower), upper - Inset * (upper - lower)),
        HyperparameterKind.LowerBounded => Math.Max(value, lower + Inset * Math.Max(1, Math.Abs(lower))),
        HyperparameterKind.UpperBounded => Math.Min(value, upper - Inset * Math.Max(1, Math.Abs(upper))),
        HyperparameterKind.Discrete => Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), lower, upper),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hyperparameter kind."),
    };

    /// <summary>λ̃ whose constrained value is <paramref name="value"/> (which must be legal).</summary>
    public static double Unconstrain(HyperparameterKind kind, double lower, double upper, double value) => kind switch
    {
        HyperparameterKind.Bounded => Logit((value - lower) / (upper - lower)),
        HyperparameterKind.LowerBounded => InverseSoftplus(value - lower),
        HyperparameterKind.UpperBounded => InverseSoftplus(upper - value),
        // The centre of the integer's bin, so the worker's floor lands on the same integer.
        HyperparameterKind.Discrete => Logit((value + 0.5 - lower) / (upper + 1 - lower)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hyperparameter kind."),
    };

    /// <summary>The legal value of <paramref name="unconstrained"/>.</summary>
    public static double Constrain(HyperparameterKind kind, double lower, double upper, double unconstrained) => kind switch
    {
        HyperparameterKind.Bounded => lower + (upper - lower) * Sigmoid(unconstrained),
        HyperparameterKind.LowerBounded => lower + Softplus(unconstrained),
        HyperparameterKind.UpperBounded => upper - Softplus(unconstrained),
        HyperparameterKind.Discrete => Math.Min(upper, Math.Floor(lower + (upper + 1 - lower) * Sigmoid(unconstrained))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hyperparameter kind."),
    };

    /// <summary>softplus(x) = log(1 + eˣ), linear past 20 where eˣ would only add rounding.</summary>
    public static double Softplus(double x) => x > 20 ? x : double.LogP1(Math.Exp(x));

    /// <summary>softplus⁻¹(y) = log(eʸ − 1).</summary>
    public static double InverseSoftplus(double y) => y > 20 ? y : Math.Log(double.ExpM1(y));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
