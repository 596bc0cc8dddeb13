using HyperSwarm.Torch.Interop;

namespace HyperSwarm.Torch;

/// <summary>
/// A libtorch tensor. Every tensor an operation returns is a new reference the caller owns:
/// dispose it, or let the current <see cref="TensorScope"/> do it. Methods are split by area
/// across Tensor.*.cs.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    internal Tensor(nint raw)
    {
        handle = new TensorHandle(raw);
        TensorScope.Register(this);
    }

    /// <summary>The scope that will dispose this tensor, if any.</summary>
    internal TensorScope? Owner { get; set; }

    /// <summary>True once disposed; any further use throws <see cref="TorchException"/>.</summary>
    public bool IsDisposed => handle.IsClosed;

    internal TensorHandle Handle
    {
        get
        {
            if (handle.IsClosed)
            {
                ThrowDisposed();
            }

            return handle;
        }
    }

    /// <summary>Frees the native reference now.</summary>
    public void Dispose() => handle.Dispose();

    /// <summary>Takes this tensor out of its scope: the caller now disposes it.</summary>
    public Tensor Escape()
    {
        Owner = null;
        return this;
    }

    internal static Tensor Wrap(int rc, nint raw, string function)
    {
        Native.Check(rc, function);
        return new Tensor(raw);
    }

    internal static Tensor? WrapOptional(int rc, nint raw, string function)
    {
        Native.Check(rc, function);
        return raw == 0 ? null : new Tensor(raw);
    }

    internal static TensorHandle H(Tensor? tensor) => tensor is null ? TensorHandle.Null : tensor.Handle;

    private static void ThrowDisposed() =>
        throw new TorchException("tensor", "the tensor has been disposed (its handle was freed)");
}
