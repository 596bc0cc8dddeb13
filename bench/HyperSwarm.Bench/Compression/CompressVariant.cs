using System.Globalization;

namespace HyperSwarm.Bench.Compression;

/// <summary>One export of a trained model: pruned at a sparsity (per weight or structured), optionally fine-tuned, optionally int8.</summary>
public sealed record CompressVariant(double Sparsity, bool Structured, bool Int8, bool FineTuned)
{
    /// <summary>
    /// The exports of every trained model: dense fp32; sparsity 0.5, 0.75 and 0.9 per weight and
    /// structured; the structured ones again after fine-tuning (at 0.9 both arms of a DenseNet-BC-16
    /// fall to chance without it: one channel is left of each layer's twelve); dense int8.
    /// </summary>
    public static IReadOnlyList<CompressVariant> All { get; } =
    [
        new(0, false, false, false),
        .. new[] { 0.5, 0.75, 0.9 }.Select(s => new CompressVariant(s, false, false, false)),
        .. new[] { 0.5, 0.75, 0.9 }.Select(s => new CompressVariant(s, true, false, false)),
        .. new[] { 0.5, 0.75, 0.9 }.Select(s => new CompressVariant(s, true, false, true)),
        new(0, false, true, false),
    ];

    /// <summary>Short label, e.g. <c>structured 0.75 +ft</c>.</summary>
    public string Name => Int8
        ? "int8"
        : Sparsity == 0 ? "dense" : string.Create(CultureInfo.InvariantCulture, $"{(Structured ? "structured" : "per-weight")} {Sparsity}{(FineTuned ? " +ft" : "")}");

    /// <summary>A file name for it.</summary>
    public string FileName => Name.Replace(' ', '-').Replace("+", "", StringComparison.Ordinal) + ".onnx";
}
