using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// The hyperparameter batch h (B, n) that hyper layers read during one forward pass. The STN
/// trainer sets it before the forward (perturbed λ̃ in weight steps, λ̃ or λ̃ + σε in hyper steps)
/// and clears it after; models keep their Forward(images) signature.
/// </summary>
public sealed class HyperInput
{
    private Tensor? current;

    /// <summary>Number of hyperparameters n (the gates' input width).</summary>
    public HyperInput(int count) => Count = count;

    /// <summary>n.</summary>
    public int Count { get; }

    /// <summary>h (B, n) for the forward pass in progress.</summary>
    public Tensor Current => current ?? throw new InvalidOperationException(
        "a hyper layer ran without hyperparameters: set HyperInput.Current (the STN trainer does) before the forward pass.");

    /// <summary>Sets h for the next forward pass; the caller keeps ownership of <paramref name="h"/>.</summary>
    public void Set(Tensor h)
    {
        ArgumentNullException.ThrowIfNull(h);
        if (h.Dim != 2 || h.Shape[1] != Count)
        {
            throw new ArgumentException($"hyperparameter batch must be (B, {Count}), got ({string.Join(", ", h.Shape)}).");
        }

        current = h;
    }

    /// <summary>Forgets h (the tensor belongs to the caller's scope).</summary>
    public void Clear() => current = null;
}
