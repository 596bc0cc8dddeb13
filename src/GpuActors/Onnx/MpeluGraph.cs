using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// MPELU (ALGORITHMS §3.1) in plain ONNX ops, as <see cref="Mpelu.Forward"/> computes it:
/// relu(y) + α·(exp(β·min(y, 0)) − 1), with α ≥ 0 and β ≥ <see cref="Mpelu.MinBeta"/> clamped
/// here once instead of at every call. min(y, 0) keeps exp from overflowing on large positive
/// inputs, whose negative branch is 0 anyway. Given the channels a pruned network still has,
/// only their α and β are written.
/// </summary>
internal static class MpeluGraph
{
    /// <summary>
    /// (B, C, H, W) or (B, C) → same shape; α and β become (1, C, 1, 1) or (1, C) initializers,
    /// for the channels <paramref name="channels"/> lists (null: all).
    /// </summary>
    public static string Apply(OnnxGraph g, string y, string name, Mpelu act, int rank = 4, int[]? channels = null)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(act);
        var alpha = PruningPlan.Select(Array.ConvertAll(act.Alpha.Value.ToArray<float>(), a => Math.Max(a, 0f)), channels);
        var beta = PruningPlan.Select(Array.ConvertAll(act.Beta.Value.ToArray<float>(), b => Math.Max(b, (float)Mpelu.MinBeta)), channels);
        long[] dims = rank == 4 ? [1, alpha.Length, 1, 1] : [1, alpha.Length];
        var positive = g.Add("Relu", [y]);
        var clipped = g.Add("Min", [y, g.Scalar("zero", 0f)]);                                  // min(y, 0)
        var exp = g.Add("Exp", [g.Add("Mul", [clipped, g.Constant($"{name}.beta", beta, dims)])]);
        var negative = g.Add("Mul", [g.Add("Sub", [exp, g.Scalar("one", 1f)]), g.Constant($"{name}.alpha", alpha, dims)]);
        return g.Add("Add", [positive, negative]);
    }
}
