namespace HyperSwarm.Torch.Interop;

/// <summary>
/// Raw pointers of several tensors for array arguments (cat, stack, autograd.grad), each
/// handle add-ref'd for the duration so neither Dispose nor the finalizer can free it
/// mid-call. Null entries (optional tensors) become NULL.
/// </summary>
internal sealed class HandleArray : IDisposable
{
    private readonly TensorHandle?[] held;

    public HandleArray(IReadOnlyList<Tensor?> tensors)
    {
        Raw = new nint[tensors.Count];
        held = new TensorHandle?[tensors.Count];
        try
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                var tensor = tensors[i];
                if (tensor is null)
                {
                    continue;
                }

                var handle = tensor.Handle;
                var added = false;
                handle.DangerousAddRef(ref added);
                held[i] = handle;
                Raw[i] = handle.DangerousGetHandle();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public nint[] Raw { get; }

    public void Dispose()
    {
        for (var i = 0; i < held.Length; i++)
        {
            held[i]?.DangerousRelease();
            held[i] = null;
        }
    }
}
