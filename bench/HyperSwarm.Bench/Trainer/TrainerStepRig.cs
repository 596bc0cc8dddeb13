using System.Diagnostics;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Trainer;

/// <summary>
/// DenseNet-BC-40 (k 12, MPELU, Fixup-Dense), a fixed Fashion-MNIST-shaped batch of 128, and
/// one warm-up step; the step is forward, cross-entropy, backward and in-place SGD, exactly
/// what bench/peers/densenet_step.py does.
/// </summary>
public sealed class TrainerStepRig : IStepRig
{
    /// <summary>Batch size.</summary>
    public const int Batch = 128;

    /// <summary>Network depth.</summary>
    public const int Depth = 40;

    /// <summary>Growth rate.</summary>
    public const int Growth = 12;

    private readonly DenseNetBC net;
    private readonly Tensor[] parameters;
    private readonly Tensor x;
    private readonly Tensor y;

    /// <summary>Builds and warms up the rig.</summary>
    public TrainerStepRig()
    {
        Torch.Torch.ManualSeed(0);
        net = new DenseNetBC(new DenseNetOptions { Depth = Depth, GrowthRate = Growth });
        parameters = net.Parameters().Select(p => p.Value).ToArray();
        x = Torch.Torch.Randn([Batch, 1, 28, 28]);     // (B, 1, 28, 28)
        y = Torch.Torch.RandInt(0, 10, [Batch]);       // (B,)
        Step();
    }

    /// <inheritdoc />
    public double Measure(int steps)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) Step();
        return steps * Batch / sw.Elapsed.TotalSeconds;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        net.Dispose();
        x.Dispose();
        y.Dispose();
    }

    private void Step()
    {
        using var scope = TensorScope.Begin();
        Functional.CrossEntropy(net.Forward(x), y).Backward();
        using (NoGrad.Enter())
        {
            foreach (var p in parameters)
            {
                p.AddInPlace(p.Grad!, -0.01);
                p.SetGrad(null);
            }
        }
    }
}
