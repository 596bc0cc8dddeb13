using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// MPELU (ALGORITHMS §3.1) in plain ONNX ops, as <see cref="Mpelu.Forward"/> computes it:
/// relu(y) + α·(exp(β·min(y, 0)) − 1), with α ≥ 0 and β ≥ <see cref="Mpelu.MinBeta"/> clamped
/// here once instead of at every call. min(y, 0) keeps exp from overflowing on large positive
/// inputs, whose negative branch is 0 anyway.
/// </summary>
internal static class MpeluGraph
{
    /// <summary>(B, C, H, W) or (B, C) → same shape; α and β become (1, C, 1, 1) or (1, C) initializers.</summary>
    public static string Apply(OnnxGraph g, string y, string name, Mpelu act, int rank = 4)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(act);
        long[] dims = rank == 4 ? [1, act.Channels, 1, 1] : [1, act.Channels];
        var alpha = Array.ConvertAll(act.Alpha.Value.ToArray<float>(), a => Math.Max(a, 0f));
        var beta = Array.ConvertAll(act.Beta.Value.ToArray<float>(), b => Math.Max(b, (float)Mpelu.MinBeta));
        var positive = g.Add("Relu", [y]);
        var clipped = g.Add("Min", [y, g.Scalar("zero", 0f)]);                                  // min(y, 0)
        var exp = g.Add("Exp", [g.Add("Mul", [clipped, g.Constant($"{name}.beta", beta, dims)])]);
        var negative = g.Add("Mul", [g.Add("Sub", [exp, g.Scalar("one", 1f)]), g.Constant($"{name}.alpha", alpha, dims)]);
        return g.Add("Add", [positive, negative]);
    }
}
