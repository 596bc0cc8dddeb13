using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Stn;

/// <summary>
/// The perturbed hyperparameters of one training batch: the gate input h = λ̃ + σε (B, n),
/// detached (weight steps do not differentiate through λ), and the matching legal values
/// (B, n) on the device and on the host. Data augmentation reads the host values (cutout,
/// shift, jitter per example); model regularisers read the device values (dropout rates).
/// </summary>
public sealed class HyperSample : IDisposable
{
    private readonly HyperparameterSpace space;

    internal HyperSample(HyperparameterSpace space, Tensor gateInput, Tensor values)
    {
        this.space = space;
        GateInput = gateInput.Escape();
        Values = values.Escape();
        Batch = (int)gateInput.Shape[0];
        HostValues = values.ToArray<float>();
    }

    /// <summary>B.</summary>
    public int Batch { get; }

    /// <summary>h (B, n), detached.</summary>
    public Tensor GateInput { get; }

    /// <summary>Legal values (B, n), detached.</summary>
    public Tensor Values { get; }

    /// <summary>Legal values, row-major (B·n), on the host.</summary>
    public float[] HostValues { get; }

    /// <summary>Per-example values of <paramref name="name"/> (B), on the host.</summary>
    public float[] Column(string name)
    {
        var column = new float[Batch];
        CopyColumn(name, column);
        return column;
    }

    /// <summary>Copies the per-example values of <paramref name="name"/> (B) into <paramref name="destination"/> without allocating.</summary>
    public void CopyColumn(string name, Span<float> destination)
    {
        var c = space.IndexOf(name);
        var n = space.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Batch, nameof(destination));
        for (var b = 0; b < Batch; b++) destination[b] = HostValues[b * n + c];
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        GateInput.Dispose();
        Values.Dispose();
    }
}
