using System.Diagnostics;
using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.Bench;

/// <summary>
/// A classifier's training step on a fixed batch: forward, cross-entropy, backward and an
/// in-place SGD update, exactly what the step peers in bench/peers do. Built (and warmed up)
/// on the torch thread that will measure it.
/// </summary>
public sealed class ClassifierStepRig : IStepRig
{
    private readonly Classifier net;
    private readonly Tensor[] parameters;
    private readonly Tensor x;
    private readonly Tensor y;
    private readonly int batch;
    private readonly Device device;

    /// <summary>
    /// Seeds, builds <paramref name="make"/>'s network and a random batch of (C, H, W) images on
    /// <paramref name="device"/> (default CPU), and runs the warm-up steps.
    /// </summary>
    public ClassifierStepRig(Func<Classifier> make, int batch, long[] imageShape, int warmupSteps, Device device = default)
    {
        ArgumentNullException.ThrowIfNull(make);
        ArgumentNullException.ThrowIfNull(imageShape);
        Torch.Torch.ManualSeed(0);
        this.batch = batch;
        this.device = device;
        net = make();
        net.MoveTo(device);
        parameters = net.Parameters().Select(p => p.Value).ToArray();
        using (var hostX = Torch.Torch.Randn([batch, .. imageShape])) x = hostX.To(device);        // (B, C, H, W)
        using (var hostY = Torch.Torch.RandInt(0, net.Classes, [batch])) y = hostY.To(device);     // (B,)
        for (var i = 0; i < warmupSteps; i++) Step();
        Synchronize();
    }

    /// <inheritdoc />
    public double Measure(int steps)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) Step();
        Synchronize(); // GPU kernels run asynchronously: the time ends when the last one has
        return steps * batch / sw.Elapsed.TotalSeconds;
    }

    private void Synchronize()
    {
        if (device.Type == DeviceType.Cuda) Cuda.Synchronize(device.Index);
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
