using System.Diagnostics;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench.Binding;

/// <summary>The binding benchmark's conv net, a fixed batch (128) and five warm-up steps; lives on one torch thread.</summary>
public sealed class BindingStepRig : IStepRig
{
    /// <summary>Batch size (the Python peer is started with the same).</summary>
    public const int Batch = 128;

    private readonly BenchConvNet net;
    private readonly Tensor x;
    private readonly Tensor y;

    /// <summary>Builds and warms up the rig.</summary>
    public BindingStepRig()
    {
        Torch.Torch.ManualSeed(0);
        net = new BenchConvNet();
        x = Torch.Torch.Randn([Batch, 1, 28, 28]);        // (B, 1, 28, 28)
        y = Torch.Torch.RandInt(0, 10, [Batch]);          // (B,)
        for (var i = 0; i < 5; i++) net.Step(x, y, 0.01);
    }

    /// <inheritdoc />
    public double Measure(int steps)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) net.Step(x, y, 0.01);
        return steps * Batch / sw.Elapsed.TotalSeconds;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        net.Dispose();
        x.Dispose();
        y.Dispose();
    }
}
