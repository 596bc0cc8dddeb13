using HyperSwarm.GpuActors.Compression;

namespace HyperSwarm.GpuActors.Training;

/// <summary>
/// Training for a compact export (docs/compression.md): with <see cref="Sparsity"/> set, targeted
/// dropout (ALGORITHMS §6) targets that proportion γ of every layer's weights or units, and its
/// drop rate α is one more hyperparameter, <c>dropout.targeted</c>, tuned online like the others.
/// Off by default.
/// </summary>
public sealed record CompressionConfig
{
    /// <summary>Targeting modes <see cref="Targeting"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Modes = ["unit", "weight"];

    /// <summary>The proportion the exported model will be pruned at, in [0, 0.99]; null (default) trains no targeted dropout.</summary>
    public double? Sparsity { get; init; }

    /// <summary>
    /// <c>unit</c> (default: whole output channels or features, what <c>export --structured</c>
    /// removes, so the file and the latency shrink) or <c>weight</c> (single weights, what plain
    /// <c>export --sparsity</c> zeroes).
    /// </summary>
    public string Targeting { get; init; } = "unit";

    /// <summary>Whether targeted dropout is on.</summary>
    public bool Enabled => Sparsity is not null;

    /// <summary><see cref="Targeting"/> as a mode.</summary>
    public TargetingMode Mode => Targeting == Spelling(TargetingMode.Weight) ? TargetingMode.Weight : TargetingMode.Unit;

    /// <summary>How <paramref name="mode"/> is written in <see cref="Targeting"/> (<c>compression.targeting</c>).</summary>
    public static string Spelling(TargetingMode mode) => mode == TargetingMode.Weight ? "weight" : "unit";

    internal void Validate()
    {
        if (Sparsity is { } s && !(s >= 0 && s <= TargetSelection.MaxProportion))
        {
            throw new ArgumentException($"compression.sparsity must lie in [0, {TargetSelection.MaxProportion}], got {s}.");
        }

        if (!Modes.Contains(Targeting)) throw new ArgumentException($"compression.targeting must be one of {string.Join(", ", Modes)}, got '{Targeting}'.");
    }
}
