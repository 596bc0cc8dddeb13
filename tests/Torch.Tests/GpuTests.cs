using HyperSwarm.Torch.Tests.Support;

namespace HyperSwarm.Torch.Tests;

/// <summary>CUDA checks: skipped, visibly, without a GPU.</summary>
[Trait("Category", "Gpu")]
public sealed class GpuTests
{
    [GpuFact]
    public void Cuda_is_available_on_a_gpu_build()
    {
        Assert.True(Cuda.CompiledIn);
        Assert.True(Cuda.DeviceCount > 0);
    }

    [GpuFact]
    public void Ops_and_gradients_run_on_the_gpu_and_match_the_cpu()
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(1);
        var x = Torch.Randn([8, 3, 16, 16]);
        var w = Torch.Randn([4, 3, 3, 3]);
        var gpu = Device.Cuda();
        var xg = x.To(gpu);
        var wg = w.To(gpu);
        wg.RequiresGrad = true;
        var loss = Functional.Conv2d(xg, wg, padding: 1).Square().Mean();
        loss.Backward();
        Cuda.Synchronize();
        var cpuLoss = Functional.Conv2d(x, w, padding: 1).Square().Mean().ToDouble();
        Assert.Equal(cpuLoss, loss.ToDouble(), 3);
        Assert.Equal(gpu, wg.Grad!.Device);
        Assert.True(Cuda.MemoryAllocated() > 0);
    }
}
