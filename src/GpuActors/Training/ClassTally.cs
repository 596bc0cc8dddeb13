namespace HyperSwarm.GpuActors.Training;

/// <summary>Per-class hits and totals, filled by <see cref="Evaluator.Evaluate"/> in the same pass as the overall scores.</summary>
public sealed class ClassTally(int classes)
{
    private readonly long[] correct = new long[classes];
    private readonly long[] total = new long[classes];

    /// <summary>Accuracy of class <paramref name="label"/>; NaN when the split has none of it.</summary>
    public double Accuracy(int label) => total[label] == 0 ? double.NaN : (double)correct[label] / total[label];

    internal void Add(ReadOnlySpan<long> predicted, ReadOnlySpan<long> labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            total[labels[i]]++;
            if (predicted[i] == labels[i]) correct[labels[i]]++;
        }
    }
}
