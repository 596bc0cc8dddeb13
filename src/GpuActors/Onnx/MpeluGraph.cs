using HyperSwarm.GpuActors.Compression;
using HyperSwarm.GpuActors.Models;

namespace HyperSwarm.GpuActors.Onnx;

/// <summary>
/// MPELU (ALGORITHMS §3.1) in five ONNX ops. <see cref="Mpelu.Forward"/> computes
/// f(y) = relu(y) + α·(exp(β·min(y, 0)) − 1) per channel, with α ≥ 0 and β ≥ <see cref="Mpelu.MinBeta"/>
/// (clamped here once). With z = β·y and s = αβ, since β &gt; 0,
/// <code>
///   β·f(y) + s = relu(z) + s·exp(min(z, 0))
/// </code>
/// which is Min, Exp, Relu, Mul, Add. β joins whatever per-channel affine comes before (the conv
/// that produces y, or the bias or norm on a concatenation); the reader, a conv or the
/// classifier, takes 1/β and −s as per-input-channel factors and shifts
/// (<see cref="FoldedWeights.ScaleInputChannels"/>, <see cref="FoldedWeights.ShiftInputChannels"/>),
/// or, before a zero-padded conv, −s joins the bias Add that is there anyway. Written by its
/// formula, as PyTorch's exporter writes it, MPELU is eight elementwise ops with the bias before
/// it. Two shorter forms were measured and dropped: Elu and PRelu (two ops) ran a DenseNet-BC-16
/// at 1,141 µs per image against 421 µs, because ONNX Runtime's CPU Elu is not vectorised; and
/// max(w, L) + exp(min(w, L)) with w = z + ln s (four ops, 1 % faster) puts |ln s| into every
/// value, which cost 2e-3 of agreement with libtorch where αβ is small.
/// </summary>
internal static class MpeluGraph
{
    /// <summary>The per-channel constants of one MPELU for <paramref name="channels"/> (null: all).</summary>
    public static MpeluFold Fold(Mpelu act, int[]? channels)
    {
        ArgumentNullException.ThrowIfNull(act);
        var alpha = PruningPlan.Select(Array.ConvertAll(act.Alpha.Value.ToArray<float>(), a => Math.Max((double)a, 0)), channels);
        var beta = PruningPlan.Select(Array.ConvertAll(act.Beta.Value.ToArray<float>(), b => Math.Max((double)b, Mpelu.MinBeta)), channels);
        return new MpeluFold(alpha, beta, [.. alpha.Zip(beta, (a, b) => a * b)], Array.ConvertAll(beta, b => 1 / b));
    }

    /// <summary>
    /// (B, C, H, W) y → f(y) by its formula, seven ops (relu, min, mul, exp, sub, mul, add) and
    /// only α and β as constants: the form for int8, whose per-tensor quantization of every conv
    /// input wants the activation itself, not β ⊙ f + s (measured on a trained DenseNet-BC-16:
    /// 70.42 % against the float model's 86.19 % with the folded form, 86.20 % with this one).
    /// </summary>
    public static string ApplyPlain(OnnxGraph g, string y, string name, MpeluFold fold)
    {
        ArgumentNullException.ThrowIfNull(g);
        var n = fold.Beta.Length;
        var exp = g.Add("Exp", [g.Add("Mul", [g.Add("Min", [y, g.Scalar("zero", 0f)]), g.Constant($"{name}.beta", Array.ConvertAll(fold.Beta, b => (float)b), 1, n, 1, 1)])]);
        var negative = g.Add("Mul", [g.Add("Sub", [exp, g.Scalar("one", 1f)]), g.Constant($"{name}.alpha", Array.ConvertAll(fold.Alpha, a => (float)a), 1, n, 1, 1)]);
        return g.Add("Add", [g.Add("Relu", [y]), negative]);                                 // relu(y) + α(e^{β·min(y,0)} − 1)
    }

    /// <summary>
    /// (B, C, H, W) z = β ⊙ y → relu(z) + s ⊙ exp(min(z, 0)) = β ⊙ f(y) + s, same shape; the
    /// reader must fold <see cref="MpeluFold.Gain"/> (1/β) and −<see cref="MpeluFold.Offset"/> (−s) in.
    /// </summary>
    public static string ApplyScaled(OnnxGraph g, string z, string name, MpeluFold fold)
    {
        ArgumentNullException.ThrowIfNull(g);
        var slope = g.Constant($"{name}.slope", Array.ConvertAll(fold.Offset, s => (float)s), 1, fold.Offset.Length, 1, 1);
        var exp = g.Add("Exp", [g.Add("Min", [z, g.Scalar("zero", 0f)])]);                                // e^{min(z, 0)}: 1 where z ≥ 0
        return g.Add("Add", [g.Add("Relu", [z]), g.Add("Mul", [exp, slope])]);
    }

    /// <summary>
    /// MPELU on (B, C, H, W) x after the per-channel affine a ⊙ x + c that precedes it (a norm, or
    /// a scalar bias: a = 1): β is folded into that affine, one op. The output is
    /// β ⊙ MPELU(a ⊙ x + c) + s; the reader folds <see cref="MpeluFold.Gain"/> and −<see cref="MpeluFold.Offset"/> in.
    /// </summary>
    public static string ApplyAfterAffine(OnnxGraph g, string x, string name, MpeluFold fold, double[] a, double[] c)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(c);
        var n = fold.Beta.Length;
        var scale = new float[n];
        var shift = new float[n];
        for (var i = 0; i < n; i++)
        {
            scale[i] = (float)(fold.Beta[i] * a[i]);
            shift[i] = (float)(fold.Beta[i] * c[i]);
        }

        var w = g.MultiplyAdd(x, name, scale, shift);                                    // (B, C, H, W) = β ⊙ (a ⊙ x + c)
        return ApplyScaled(g, w, name, fold);
    }
}

/// <summary>
/// One MPELU's lowering constants, per kept channel: α and β (clamped), and for the folded form
/// s = αβ (the Mul, and the output's offset the reader removes) and 1/β (into the reader).
/// </summary>
internal readonly record struct MpeluFold(double[] Alpha, double[] Beta, double[] Offset, double[] Gain);
