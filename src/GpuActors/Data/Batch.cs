using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// One batch as the trainer sees it. The tensors belong to the <see cref="BatchLoader"/> and are
/// overwritten by its next call: use them within the step, do not dispose them.
/// </summary>
/// <param name="Images">(B, C, H, W) float32, normalised.</param>
/// <param name="Labels">(B) int64 class indices.</param>
/// <param name="Count">B; smaller than the batch size only for an epoch's last batch without drop-last.</param>
/// <param name="Epoch">Zero-based epoch the batch belongs to.</param>
/// <param name="Index">Zero-based position of the batch within its epoch.</param>
/// <param name="EndOfEpoch">True for the epoch's last batch.</param>
public readonly record struct Batch(Tensor Images, Tensor Labels, int Count, int Epoch, int Index, bool EndOfEpoch);
