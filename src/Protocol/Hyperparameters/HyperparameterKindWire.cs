using WireKind = HyperSwarm.Protocol.V1.HyperparameterKind;

namespace HyperSwarm.Protocol.Hyperparameters;

/// <summary>A <see cref="HyperparameterKind"/> on the wire (hyperparameters.proto) and back: one mapping for the coordinator and the workers.</summary>
public static class HyperparameterKindWire
{
    public static WireKind ToWire(this HyperparameterKind kind) => kind switch
    {
        HyperparameterKind.Bounded => WireKind.Bounded,
        HyperparameterKind.LowerBounded => WireKind.LowerBounded,
        HyperparameterKind.UpperBounded => WireKind.UpperBounded,
        HyperparameterKind.Discrete => WireKind.Discrete,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hyperparameter kind."),
    };

    /// <summary>The kind <paramref name="kind"/> names; one sentence naming <paramref name="name"/> when it names none.</summary>
    /// <exception cref="ArgumentException">Unspecified or unknown on the wire.</exception>
    public static HyperparameterKind FromWire(WireKind kind, string name) => kind switch
    {
        WireKind.Bounded => HyperparameterKind.Bounded,
        WireKind.LowerBounded => HyperparameterKind.LowerBounded,
        WireKind.UpperBounded => HyperparameterKind.UpperBounded,
        WireKind.Discrete => HyperparameterKind.Discrete,
        _ => throw new ArgumentException($"hyperparameter {name} has no kind."),
    };
}
