using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Binding;

/// <summary>
/// The small conv net of the binding benchmark, written with the functional API. Must stay
/// step-for-step identical to bench/peers/binding_step.py (same shapes, ops and update).
/// </summary>
internal sealed class BenchConvNet : IDisposable
{
    private readonly Tensor[] parameters;

    public BenchConvNet()
    {
        parameters =
        [
            Param(Torch.Torch.Randn([16, 1, 5, 5]), 0.2),     // conv1 weight
            Param(Torch.Torch.Zeros([16]), 1),                // conv1 bias
            Param(Torch.Torch.Randn([32, 16, 5, 5]), 0.05),   // conv2 weight
            Param(Torch.Torch.Zeros([32]), 1),                // conv2 bias
            Param(Torch.Torch.Randn([10, 32 * 7 * 7]), 0.025), // fc weight
            Param(Torch.Torch.Zeros([10]), 1),                // fc bias
        ];
    }

    /// <summary>Forward, backward and an in-place SGD update; returns nothing to keep the loop lean.</summary>
    public void Step(Tensor x, Tensor y, double lr)
    {
        using var scope = TensorScope.Begin();
        var p = parameters;
        var h = Functional.MaxPool2d(Functional.Conv2d(x, p[0], p[1], padding: 2).Relu(), 2);  // (B, 16, 14, 14)
        h = Functional.MaxPool2d(Functional.Conv2d(h, p[2], p[3], padding: 2).Relu(), 2);      // (B, 32, 7, 7)
        var logits = Functional.Linear(h.Flatten(1), p[4], p[5]);                              // (B, 10)
        var loss = Functional.CrossEntropy(logits, y);
        loss.Backward();
        using (NoGrad.Enter())
        {
            foreach (var w in p)
            {
                var g = w.Grad!;
                w.AddInPlace(g, -lr);
                w.SetGrad(null);
            }
        }
    }

    public void Dispose()
    {
        foreach (var p in parameters) p.Dispose();
    }

    private static Tensor Param(Tensor init, double scale)
    {
        using (init)
        {
            var p = (init * scale).Escape();
            p.RequiresGrad = true;
            return p;
        }
    }
}
