namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Tensor-name prefixes and reserved metadata keys of a checkpoint. Every tensor name starts
/// with one prefix, so a model member can never collide with optimizer or hyper state, and a
/// Python reader can split the file with <c>name.startswith</c>.
/// </summary>
public static class CheckpointSections
{
    /// <summary>Model parameters by dotted name: <c>param.block1.conv.weight</c>.</summary>
    public const string Parameters = "param.";

    /// <summary>Model buffers (e.g. BatchNorm running statistics) by dotted name.</summary>
    public const string Buffers = "buffer.";

    /// <summary>Hyper state supplied by the trainer (λ̃, σ-raw, gate parameters).</summary>
    public const string Hyper = "hyper.";

    /// <summary>Optimizer state supplied by the optimizer (momenta, step counts).</summary>
    public const string Optimizer = "optim.";

    /// <summary>The averaged weights (<c>WeightAverage</c>), by parameter name.</summary>
    public const string Average = "average.";

    /// <summary>The CPU generator's state (U8), restored with <c>Torch.SetRngState</c>.</summary>
    public const string RngCpu = "rng.cpu";

    /// <summary>Metadata key of the training step, a decimal integer.</summary>
    public const string StepKey = "hs.step";

    /// <summary>Metadata key of the resolved config (JSON text).</summary>
    public const string ConfigKey = "hs.config";

    /// <summary>Metadata key of the format marker, whose value is <see cref="FormatVersion"/>.</summary>
    public const string FormatKey = "hs.format";

    /// <summary>The format marker written by this version.</summary>
    public const string FormatVersion = "hyperswarm-checkpoint/1";

    /// <summary>Prefix of metadata keys reserved for the checkpoint itself; free-form keys must not use it.</summary>
    public const string ReservedMetadataPrefix = "hs.";
}
