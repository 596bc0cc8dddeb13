namespace HyperSwarm.Torch;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost scope, and disposes
/// them when it ends: one scope per training step or evaluation batch.
/// Results leave through <see cref="Keep{T}"/> (to the enclosing scope) or
/// <see cref="Tensor.Escape"/> (to the caller). Parameters and optimizer state are created
/// outside any scope and disposed with their model.
/// </summary>
/// <example><code>
/// using (var scope = TensorScope.Begin())
/// {
///     var loss = Functional.CrossEntropy(model.Forward(x), y);   // freed at the end
///     loss.Backward();
/// }
/// </code></example>
public sealed class TensorScope : IDisposable
{
    // libtorch handles are thread-confined in our design (one actor thread per model),
    // so scopes are too.
    [ThreadStatic]
    private static TensorScope? current;

    private readonly TensorScope? parent;
    private readonly List<Tensor> owned = [];
    private readonly int threadId;
    private bool disposed;

    private TensorScope(TensorScope? parent)
    {
        this.parent = parent;
        threadId = Environment.CurrentManagedThreadId;
    }

    /// <summary>The innermost scope of this thread, or null.</summary>
    public static TensorScope? Current => current;

    /// <summary>Tensors this scope will dispose.</summary>
    public int Count => owned.Count(t => t.Owner == this);

    /// <summary>Opens a scope nested in the current one.</summary>
    public static TensorScope Begin()
    {
        var scope = new TensorScope(current);
        current = scope;
        return scope;
    }

    /// <summary>Moves <paramref name="tensor"/> to the enclosing scope (or to the caller when there is none).</summary>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Owner == this)
        {
            tensor.Owner = null;
            parent?.Adopt(tensor);
        }

        return tensor;
    }

    /// <summary>Disposes every tensor still owned, and any scope left open inside this one.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        if (threadId != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException("A TensorScope must be disposed on the thread that began it.");
        }

        while (current is not null && current != this && current.IsInside(this))
        {
            current.Dispose();
        }

        disposed = true;
        foreach (var tensor in owned)
        {
            if (tensor.Owner == this)
            {
                tensor.Owner = null;
                tensor.Dispose();
            }
        }

        owned.Clear();
        if (current == this)
        {
            current = parent;
        }
    }

    internal static void Register(Tensor tensor) => current?.Adopt(tensor);

    private void Adopt(Tensor tensor)
    {
        tensor.Owner = this;
        owned.Add(tensor);
    }

    private bool IsInside(TensorScope outer)
    {
        for (var s = parent; s is not null; s = s.parent)
        {
            if (s == outer) return true;
        }

        return false;
    }
}
