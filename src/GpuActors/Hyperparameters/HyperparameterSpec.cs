using HyperSwarm.Protocol.Hyperparameters;

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
    public static HyperparameterSpec LowerBounded(string name, double lower, double initial, double sigma = 0.5) =>
        new(name, HyperparameterKind.LowerBounded, lower, double.PositiveInfinity, initial, sigma);

    /// <summary>An integer in [lower, upper].</summary>
    public static HyperparameterSpec Discrete(string name, int lower, int upper, double initial, double sigma = 0.5) =>
        new(name, HyperparameterKind.Discrete, lower, upper, initial, sigma);

    /// <summary>Throws one sentence when the range or the initial value is impossible.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a hyperparameter needs a name.");
        if (Kind != HyperparameterKind.LowerBounded && !(Upper > Lower))
            throw new ArgumentException($"hyperparameter {Name}: upper bound {Upper} must exceed lower bound {Lower}.");
        var inside = Kind switch
        {
            HyperparameterKind.LowerBounded => Initial > Lower,
            HyperparameterKind.Discrete => Initial >= Lower && Initial <= Upper,
            _ => Initial > Lower && Initial < Upper,
        };
        if (!inside) throw new ArgumentException($"hyperparameter {Name}: initial value {Initial} is outside its range.");
        if (!(InitialSigma > 0)) throw new ArgumentException($"hyperparameter {Name}: σ₀ must be positive, got {InitialSigma}.");
    }

    /// <summary>λ̃ such that the constrained value equals <paramref name="value"/> (the inverse map).</summary>
    public double Unconstrain(double value) => HyperparameterTransform.Unconstrain(Kind, Lower, Upper, value);

    /// <summary>The constrained value of <paramref name="unconstrained"/> (host-side mirror of the tensor map).</summary>
    public double Constrain(double unconstrained) => HyperparameterTransform.Constrain(Kind, Lower, Upper, unconstrained);
}
