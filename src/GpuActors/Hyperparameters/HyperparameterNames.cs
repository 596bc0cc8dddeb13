namespace HyperSwarm.GpuActors.Training;

/// <summary>The names of the hyperparameters the trainer knows how to apply.</summary>
public static class HyperparameterNames
{
    /// <summary>Elementwise dropout on the input pixels.</summary>
    public const string InputDropout = "dropout.input";

    /// <summary>Targeted dropout's drop rate α (only when <c>compression.sparsity</c> is set).</summary>
    public const string TargetedDropout = "dropout.targeted";

    /// <summary>Side of each cutout hole in pixels.</summary>
    public const string CutoutLength = "augment.cutout_length";

    /// <summary>Number of cutout holes.</summary>
    public const string CutoutHoles = "augment.cutout_holes";

    /// <summary>Largest random shift in pixels.</summary>
    public const string Shift = "augment.shift";

    /// <summary>Probability of a horizontal flip.</summary>
    public const string Flip = "augment.flip";

    /// <summary>Brightness jitter strength.</summary>
    public const string Brightness = "augment.brightness";

    /// <summary>Contrast jitter strength.</summary>
    public const string Contrast = "augment.contrast";

    /// <summary>Dropout on the new features of DenseNet block <paramref name="block"/> (1–3).</summary>
    public static string BlockDropout(int block) => $"dropout.block{block}";

    /// <summary>Dropout after SmallCnn stage <paramref name="stage"/> (0–2).</summary>
    public static string StageDropout(int stage) => $"dropout.stage{stage}";
}
