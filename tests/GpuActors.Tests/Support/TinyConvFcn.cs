using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Support;

/// <summary>
/// conv(2→3, 3×3, no bias) → ReLU → flatten → <see cref="Fcn"/>(48 → 5 → 5 → 4, with biases),
/// for checking optimizer steps by hand: one conv kernel, dense weights of three shapes and biases.
/// </summary>
internal sealed class TinyConvFcn : Module
{
    private readonly Conv2d conv;
    private readonly Fcn fcn;

    public TinyConvFcn()
    {
        conv = AddModule("conv", new Conv2d(2, 3, 3, padding: 1, bias: false));
        fcn = AddModule("fcn", new Fcn(3 * 4 * 4, 5, 3, 4, bias: true));
    }

    /// <summary>Logits (B, 4) for inputs (B, 2, 4, 4).</summary>
    public Tensor Forward(Tensor x) => fcn.Forward(conv.Forward(x).Relu()); // (B, 3, 4, 4) → (B, 4)

    /// <summary>Runs forward and backward on a fixed random batch, leaving gradients in place.</summary>
    public void Backward(int batch = 6)
    {
        using var scope = TensorScope.Begin();
        var x = Torch.Torch.Randn([batch, 2, 4, 4]);
        var y = Torch.Torch.RandInt(0, 4, [batch]);
        Functional.CrossEntropy(Forward(x), y).Backward();
    }
}
