using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

/// <summary>A tiny conv net with one buffer: conv(1→4, 3×3) → relu → linear(4·6·6 → 3).</summary>
internal sealed class TinyNet : Module
{
    public TinyNet(int outputs = 3)
    {
        Conv = AddModule("conv", new Conv2d(1, 4, 3));
        Head = AddModule("head", new Linear(4 * 6 * 6, outputs));
        Steps = AddBuffer("steps", Torch.Torch.Zeros([1], DType.Int64).Escape());
    }

    public Conv2d Conv { get; }

    public Linear Head { get; }

    public Tensor Steps { get; }

    // (B, 1, 8, 8) → (B, outputs)
    public Tensor Forward(Tensor x)
    {
        var h = Conv.Forward(x).Relu();      // (B, 4, 6, 6)
        return Head.Forward(h.Flatten(1));   // (B, outputs)
    }
}
