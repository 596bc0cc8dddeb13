using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Models;

/// <summary>A model that maps images (B, C, H, W) to class logits (B, classes).</summary>
public abstract class Classifier : Module
{
    /// <summary>Number of classes the logits cover.</summary>
    public abstract long Classes { get; }

    /// <summary>(B, C, H, W) → (B, classes).</summary>
    public abstract Tensor Forward(Tensor images);
}
