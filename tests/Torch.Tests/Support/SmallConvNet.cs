namespace HyperSwarm.Torch.Tests.Support;

/// <summary>
/// A 2-layer conv net for 28×28 grey images, written directly with the binding and trained
/// with plain SGD: conv(1→16, 5×5) → relu → pool → conv(16→32, 5×5) → relu → pool → linear.
/// </summary>
internal sealed class SmallConvNet : IDisposable
{
    private readonly Tensor[] parameters;

    public SmallConvNet()
    {
        parameters =
        [
            KaimingUniform([16, 1, 5, 5], fanIn: 25), Bias(16),
            KaimingUniform([32, 16, 5, 5], fanIn: 16 * 25), Bias(32),
            KaimingUniform([10, 32 * 7 * 7], fanIn: 32 * 7 * 7), Bias(10),
        ];
    }

    /// <summary>Logits (B, 10) for images (B, 1, 28, 28).</summary>
    public Tensor Forward(Tensor x)
    {
        var p = parameters;
        var h = Functional.MaxPool2d(Functional.Conv2d(x, p[0], p[1], padding: 2).Relu(), 2); // (B, 16, 14, 14)
        h = Functional.MaxPool2d(Functional.Conv2d(h, p[2], p[3], padding: 2).Relu(), 2);     // (B, 32, 7, 7)
        return Functional.Linear(h.Flatten(1), p[4], p[5]);                                   // (B, 10)
    }

    /// <summary>One SGD step; returns the loss before the update.</summary>
    public double TrainStep(Tensor x, Tensor y, double lr)
    {
        using var scope = TensorScope.Begin();
        var loss = Functional.CrossEntropy(Forward(x), y);
        loss.Backward();
        using (NoGrad.Enter())
        {
            foreach (var w in parameters)
            {
                w.AddInPlace(w.Grad!, -lr);
                w.SetGrad(null);
            }
        }

        return loss.ToDouble();
    }

    public void Dispose()
    {
        foreach (var p in parameters) p.Dispose();
    }

    private static Tensor KaimingUniform(long[] shape, long fanIn)
    {
        var bound = Math.Sqrt(6.0 / fanIn);
        var w = Torch.Empty(shape).Escape();
        w.UniformInPlace(-bound, bound);
        w.RequiresGrad = true;
        return w;
    }

    private static Tensor Bias(long n)
    {
        var b = Torch.Zeros([n]).Escape();
        b.RequiresGrad = true;
        return b;
    }
}
