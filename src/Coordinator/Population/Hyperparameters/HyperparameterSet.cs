using System.Collections.Immutable;
using System.Globalization;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// Everything a member's hyperparameters are, without weights: the values (in the column order
/// of every gate matrix), the gate coefficients, and the training step they were taken at.
/// </summary>
public sealed record HyperparameterSet(ImmutableArray<HyperparameterValue> Values, ImmutableArray<GateMatrix> Gates, long Step)
{
    /// <summary>No tuned hyperparameters: the worker starts from its own configured space.</summary>
    public static HyperparameterSet Empty { get; } = new([], [], 0);

    /// <summary>The hyperparameter called <paramref name="name"/>, or null.</summary>
    public HyperparameterValue? Find(string name)
    {
        foreach (var value in Values)
        {
            if (value.Name == name) return value;
        }
        return null;
    }

    /// <summary>The values as text for the event log, e.g. <c>dropout=0.5, cutout=8</c>.</summary>
    public string Describe() =>
        Values.IsEmpty ? "worker defaults" : string.Join(", ", Values.Select(v => $"{v.Name}={Format(v.Value)}"));

    /// <summary>What changed from <paramref name="before"/>, e.g. <c>dropout 0.5→0.6, cutout 8</c>.</summary>
    public string DescribeChange(HyperparameterSet before)
    {
        ArgumentNullException.ThrowIfNull(before);
        if (Values.IsEmpty) return "worker defaults";
        return string.Join(", ", Values.Select(v => before.Find(v.Name) is { } old && old.Value != v.Value
            ? $"{v.Name} {Format(old.Value)}→{Format(v.Value)}"
            : $"{v.Name} {Format(v.Value)}"));
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
