using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

public sealed partial class Tensor
{
    /// <summary>A second reference to the same data and autograd history.</summary>
    public Tensor Alias() => Wrap(Native.hs_tensor_alias(Handle, out var r), r, "hs_tensor_alias");

    /// <summary>A copy of the data that stays in the autograd graph.</summary>
    public Tensor Clone() => Wrap(Native.hs_tensor_clone(Handle, out var r), r, "hs_tensor_clone");

    /// <summary>The same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(Native.hs_tensor_detach(Handle, out var r), r, "hs_tensor_detach");

    /// <summary>The data laid out densely in row-major order (an alias when it already is).</summary>
    public Tensor Contiguous() => Wrap(Native.hs_tensor_contiguous(Handle, out var r), r, "hs_tensor_contiguous");

    /// <summary>
    /// Replaces this tensor's data (values, shape, dtype and device) with <paramref name="source"/>'s,
    /// in place: this handle, and every alias of it, then refer to the new data, and
    /// <see cref="RequiresGrad"/> is kept. This is how a module's parameters move to a device
    /// without the optimizers and layers that hold them noticing.
    /// </summary>
    public void SetData(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Native.Check(Native.hs_tensor_set_data(Handle, source.Handle), "hs_tensor_set_data");
    }

    /// <summary>
    /// Moves this tensor's data to <paramref name="device"/> in place (<see cref="SetData"/> with
    /// a copy there); nothing happens when it is already there.
    /// </summary>
    public void MoveDataTo(Device device)
    {
        if (Device == device) return;
        using var noGrad = NoGrad.Enter(); // the copy is data, not a step of any graph
        using var moved = To(device);
        SetData(moved);
    }

    /// <summary>Moves to <paramref name="device"/> (an alias when already there).</summary>
    public Tensor To(Device device, bool nonBlocking = false) =>
        Wrap(Native.hs_tensor_to(Handle, (int)device.Type, device.Index, -1, nonBlocking ? 1 : 0, out var r), r, "hs_tensor_to");

    /// <summary>Converts to <paramref name="dtype"/> (an alias when already of it).</summary>
    public Tensor To(DType dtype) =>
        Wrap(Native.hs_tensor_to(Handle, -1, 0, (int)dtype, 0, out var r), r, "hs_tensor_to");

    /// <summary>Moves and converts in one step.</summary>
    public Tensor To(Device device, DType dtype, bool nonBlocking = false) =>
        Wrap(Native.hs_tensor_to(Handle, (int)device.Type, device.Index, (int)dtype, nonBlocking ? 1 : 0, out var r), r, "hs_tensor_to");
}
