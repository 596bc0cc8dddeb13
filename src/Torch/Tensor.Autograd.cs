using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed partial class Tensor
{
    /// <summary>
    /// The accumulated gradient (a new reference the caller owns), or null when none was
    /// computed.
    /// </summary>
    public Tensor? Grad => WrapOptional(Native.hs_grad(Handle, out var r), r, "hs_grad");

    /// <summary>Replaces the gradient; null clears it (the cheap way to zero grads).</summary>
    public void SetGrad(Tensor? grad) => Native.Check(Native.hs_set_grad(Handle, H(grad)), "hs_set_grad");

    /// <summary>Keeps the gradient of a non-leaf tensor after backward.</summary>
    public void RetainGrad() => Native.Check(Native.hs_retain_grad(Handle), "hs_retain_grad");

    /// <summary>
    /// Back-propagates from this tensor into the leaves' <see cref="Grad"/>. A non-scalar
    /// tensor needs <paramref name="gradient"/>; <paramref name="createGraph"/> records the
    /// backward pass itself for higher-order gradients. The graph is kept when
    /// <paramref name="retainGraph"/> says so, by default exactly when one is being built (as in PyTorch).
    /// </summary>
    public void Backward(Tensor? gradient = null, bool? retainGraph = null, bool createGraph = false) =>
        Native.Check(Native.hs_backward(Handle, H(gradient), (retainGraph ?? createGraph) ? 1 : 0, createGraph ? 1 : 0), "hs_backward");
}
