using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public static partial class Functional
{
    /// <summary>
    /// Cross-entropy of logits (B, C) against int64 class indices (B), with optional class
    /// weights (C) and label smoothing.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
        long ignoreIndex = -100, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        var rc = Native.hs_cross_entropy(logits.Handle, target.Handle, Tensor.H(weight), (int)reduction, ignoreIndex, labelSmoothing, out var r);
        return Tensor.Wrap(rc, r, "hs_cross_entropy");
    }

    /// <summary>Negative log-likelihood of log-probabilities (B, C) against int64 class indices (B).</summary>
    public static Tensor NllLoss(Tensor logProbs, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(target);
        var rc = Native.hs_nll_loss(logProbs.Handle, target.Handle, Tensor.H(weight), (int)reduction, ignoreIndex, out var r);
        return Tensor.Wrap(rc, r, "hs_nll_loss");
    }

    /// <summary>Mean (or summed) squared error.</summary>
    public static Tensor MseLoss(Tensor a, Tensor b, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Tensor.Wrap(Native.hs_mse_loss(a.Handle, b.Handle, (int)reduction, out var r), r, "hs_mse_loss");
    }
}
