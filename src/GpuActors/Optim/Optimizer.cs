using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Optim;

/// <summary>
/// Base of every optimizer: <see cref="Step"/> reads each tensor's gradient, lets the
/// subclass update the tensor in place with grad mode off, and clears the gradient. State
/// tensors (momenta, second moments, the step counter) are created up front, owned here, and
/// listed by name in <see cref="State"/> so that a checkpoint can save them and
/// <see cref="LoadState"/> can put them back. Runs on the model's actor thread.
/// </summary>
public abstract class Optimizer : IDisposable
{
    /// <summary>The key of the step counter in <see cref="State"/>.</summary>
    public const string StepKey = "step";

    private readonly Dictionary<string, Tensor> state = new(StringComparer.Ordinal);
    private readonly Tensor stepTensor;
    private bool disposed;

    /// <summary>Takes the tensors to update; names must be unique.</summary>
    protected Optimizer(IReadOnlyList<OptimizedTensor> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var duplicate = targets.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"the tensor name '{duplicate.Key}' appears twice among the optimizer's tensors", nameof(targets));
        }

        Targets = targets;
        stepTensor = AddState(StepKey, Torch.Torch.Zeros([], DType.Int64));
    }

    /// <summary>The tensors this optimizer updates, in order.</summary>
    public IReadOnlyList<OptimizedTensor> Targets { get; }

    /// <summary>Completed calls of <see cref="Step"/> (also the <see cref="StepKey"/> entry of <see cref="State"/>).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// Every state tensor by name (<c>{tensor name}.{kind}</c>, plus <see cref="StepKey"/>).
    /// The tensors stay owned by this optimizer: copy them to keep them past its lifetime.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> State => state;

    /// <summary>Updates every tensor that has a gradient from that gradient, then clears all gradients.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = TensorScope.Begin();
        using var noGrad = NoGrad.Enter(); // in-place updates of leaves that require grad
        var grads = new Tensor?[Targets.Count];
        for (var i = 0; i < grads.Length; i++)
        {
            grads[i] = Targets[i].Value.Grad; // null: the tensor took no part in the loss
        }

        StepCount++;
        stepTensor.CopyFrom<long>([StepCount]);
        Update(grads);
        ClearGrads(grads);
    }

    /// <summary>Drops every gradient without updating (e.g. weight gradients left by a hyper step's backward).</summary>
    public void ZeroGrad()
    {
        using var scope = TensorScope.Begin();
        var grads = Targets.Select(t => t.Value.Grad).ToArray();
        ClearGrads(grads);
    }

    /// <summary>
    /// Copies a state saved from <see cref="State"/> (of an optimizer of the same kind over the
    /// same tensors) into this one: the next <see cref="Step"/> then does what the saved
    /// optimizer's next step would have done.
    /// </summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ObjectDisposedException.ThrowIf(disposed, this);
        var missing = state.Keys.FirstOrDefault(k => !saved.ContainsKey(k));
        if (missing is not null) throw new ArgumentException($"the saved optimizer state has no entry '{missing}'", nameof(saved));
        var extra = saved.Keys.FirstOrDefault(k => !state.ContainsKey(k));
        if (extra is not null) throw new ArgumentException($"the saved optimizer state has an unknown entry '{extra}'", nameof(saved));
        foreach (var (name, target) in state)
        {
            var source = saved[name];
            if (!source.Shape.SequenceEqual(target.Shape))
            {
                throw new ArgumentException(
                    $"the saved optimizer state entry '{name}' has shape [{string.Join(", ", source.Shape)}], expected [{string.Join(", ", target.Shape)}]",
                    nameof(saved));
            }
        }

        using var noGrad = NoGrad.Enter();
        foreach (var (name, target) in state) target.CopyFrom(saved[name]);
        StepCount = stepTensor.ToInt64();
    }

    /// <summary>Frees the state tensors (not the optimized tensors, which belong to their module).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in state.Values) t.Dispose();
        state.Clear();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Updates <see cref="Targets"/> in place from <paramref name="grads"/> (same order; null
    /// where a tensor has no gradient). Runs with grad mode off inside a tensor scope that
    /// frees every temporary; <see cref="StepCount"/> already counts this step.
    /// </summary>
    protected abstract void Update(IReadOnlyList<Tensor?> grads);

    /// <summary>Registers a state tensor under <paramref name="name"/>; the optimizer takes ownership.</summary>
    protected Tensor AddState(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!state.TryAdd(name, value.Escape()))
        {
            throw new ArgumentException($"the optimizer state entry '{name}' is registered twice", nameof(name));
        }

        return value;
    }

    private void ClearGrads(Tensor?[] grads)
    {
        for (var i = 0; i < grads.Length; i++)
        {
            if (grads[i] is not null) Targets[i].Value.SetGrad(null);
        }
    }
}
