namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Per-example augmentation hyperparameters for one batch, already mapped to their legal range
/// (ALGORITHMS §1.3: the STN perturbs λ̃ per example, constrains it, floors the discrete ones, and
/// augments example b with the values in slot b). Each vector has one entry per example (B);
/// the arrays are reused from batch to batch, so fill them in place.
/// </summary>
public sealed class AugmentationValues
{
    /// <summary>Vectors for up to <paramref name="capacity"/> examples, all zero (no augmentation).</summary>
    public AugmentationValues(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        CutoutLength = new int[capacity];
        CutoutHoles = new int[capacity];
        ShiftPixels = new int[capacity];
        FlipProbability = new float[capacity];
        Brightness = new float[capacity];
        Contrast = new float[capacity];
    }

    /// <summary>Number of examples the vectors hold.</summary>
    public int Capacity => CutoutLength.Length;

    /// <summary>Side of each square cutout hole in pixels (discrete), (B).</summary>
    public int[] CutoutLength { get; }

    /// <summary>Number of cutout holes (discrete), (B).</summary>
    public int[] CutoutHoles { get; }

    /// <summary>Largest random shift in pixels along each axis (discrete), (B).</summary>
    public int[] ShiftPixels { get; }

    /// <summary>Probability of a horizontal flip, in [0, 1], (B).</summary>
    public float[] FlipProbability { get; }

    /// <summary>Brightness jitter strength s: factor ~ U[max(0, 1 − s), 1 + s], (B).</summary>
    public float[] Brightness { get; }

    /// <summary>Contrast jitter strength s: factor ~ U[max(0, 1 − s), 1 + s], (B).</summary>
    public float[] Contrast { get; }

    /// <summary>Sets every example to the same values (baselines with a fixed augmentation).</summary>
    public AugmentationValues Fill(int cutoutLength = 0, int cutoutHoles = 0, int shiftPixels = 0,
        float flipProbability = 0, float brightness = 0, float contrast = 0)
    {
        Array.Fill(CutoutLength, cutoutLength);
        Array.Fill(CutoutHoles, cutoutHoles);
        Array.Fill(ShiftPixels, shiftPixels);
        Array.Fill(FlipProbability, flipProbability);
        Array.Fill(Brightness, brightness);
        Array.Fill(Contrast, contrast);
        return this;
    }
}
