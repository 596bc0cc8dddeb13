namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// One tuned hyperparameter: its name (e.g. <c>dropout.block1</c>), kind and range, initial
/// value, initial perturbation scale σ₀, and whether each training example may draw its own
/// perturbed value (dropout, cutout, jitter can; a per-batch setting cannot).
/// </summary>
public sealed record HyperparameterSpec(
    string Name,
    HyperparameterKind Kind,
    double Lower,
    double Upper,
    double Initial,
    double InitialSigma = 0.5,
    bool PerExample = true)
{
    /// <summary>A value in (lower, upper).</summary>
    public static HyperparameterSpec Bounded(string name, double lower, double upper, double initial, double sigma = 0.5) =>
        new(name, HyperparameterKind.Bounded, lower, upper, initial, sigma);

    /// <summary>A value above <paramref name="lower"/>.</summary>
    public static HyperparameterSpec Positive(string name, double lower, double initial, double sigma = 0.5) =>
        new(name, HyperparameterKind.Positive, lower, double.PositiveInfinity, initial, sigma);

    /// <summary>An integer in [lower, upper].</summary>
    public static HyperparameterSpec Discrete(string name, int lower, int upper, double initial, double sigma = 0.5) =>
        new(name, HyperparameterKind.Discrete, lower, upper, initial, sigma);

    /// <summary>Throws one sentence when the range or the initial value is impossible.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a hyperparameter needs a name.");
        if (Kind != HyperparameterKind.Positive && !(Upper > Lower))
            throw new ArgumentException($"hyperparameter {Name}: upper bound {Upper} must exceed lower bound {Lower}.");
        var inside = Kind switch
        {
            HyperparameterKind.Positive => Initial > Lower,
            HyperparameterKind.Discrete => Initial >= Lower && Initial <= Upper,
            _ => Initial > Lower && Initial < Upper,
        };
        if (!inside) throw new ArgumentException($"hyperparameter {Name}: initial value {Initial} is outside its range.");
        if (!(InitialSigma > 0)) throw new ArgumentException($"hyperparameter {Name}: σ₀ must be positive, got {InitialSigma}.");
    }

    /// <summary>λ̃ such that the constrained value equals <paramref name="value"/> (the inverse map).</summary>
    public double Unconstrain(double value) => Kind switch
    {
        HyperparameterKind.Positive => InverseSoftplus(value - Lower),
        HyperparameterKind.Discrete => Logit((value + 0.5 - Lower) / (Upper + 1 - Lower)), // centre of the integer's bin
        _ => Logit((value - Lower) / (Upper - Lower)),
    };

    /// <summary>The constrained value of <paramref name="unconstrained"/> (host-side mirror of the tensor map).</summary>
    public double Constrain(double unconstrained) => Kind switch
    {
        HyperparameterKind.Positive => Lower + Softplus(unconstrained),
        HyperparameterKind.Discrete => Math.Min(Upper, Math.Floor(Lower + (Upper + 1 - Lower) * Sigmoid(unconstrained))),
        _ => Lower + (Upper - Lower) * Sigmoid(unconstrained),
    };

    internal static double Softplus(double x) => x > 20 ? x : double.LogP1(Math.Exp(x));

    internal static double InverseSoftplus(double y) => y > 20 ? y : Math.Log(double.ExpM1(y));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double Logit(double p) => Math.Log(p / (1 - p));
}
