using HyperSwarm.Protocol.Hyperparameters;
namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// One hyperparameter of the configured search space: the range explore stays in, the value
/// the first member starts from, and the initial perturbation scale σ₀ its STN starts with.
/// </summary>
public sealed record HyperparameterRange(string Name, HyperparameterKind Kind, double Lower, double Upper, double Initial, double Sigma = 0.5)
{
    /// <summary>The initial value as a member's hyperparameter, with λ̃ and s = softplus⁻¹(σ₀).</summary>
    public HyperparameterValue ToValue() =>
        new HyperparameterValue(Name, Kind, Lower, Upper, Initial, 0, Sigma, HyperparameterTransform.InverseSoftplus(Sigma))
            .WithValue(Initial);

    /// <summary>Throws one sentence when the range or the initial value is impossible.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("a hyperparameter needs a name.");
        var twoSided = Kind is HyperparameterKind.Bounded or HyperparameterKind.Discrete;
        if (twoSided && !(Upper > Lower))
            throw new ArgumentException($"hyperparameter {Name}: upper bound {Upper} must exceed lower bound {Lower}.");
        var inside = Kind switch
        {
            HyperparameterKind.LowerBounded => Initial > Lower,
            HyperparameterKind.UpperBounded => Initial < Upper,
            HyperparameterKind.Discrete => Initial >= Lower && Initial <= Upper && Initial == Math.Floor(Initial),
            _ => Initial > Lower && Initial < Upper,
        };
        if (!inside) throw new ArgumentException($"hyperparameter {Name}: initial value {Initial} is outside its range.");
        if (!(Sigma > 0)) throw new ArgumentException($"hyperparameter {Name}: σ₀ must be positive, got {Sigma}.");
    }
}
