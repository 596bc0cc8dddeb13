
namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>A checkpoint file readable here.</summary>
/// <param name="Path">The file.</param>
/// <param name="Temporary">True for a copy fetched for one use: the caller deletes it after loading.</param>
/// <param name="Unusable">
/// Set when the checkpoint asked for was corrupt or truncated and <paramref name="Path"/> is the
/// newest valid older one of the same member instead: why the one asked for was refused.
/// </param>
public sealed record LocatedCheckpoint(string Path, bool Temporary, CheckpointException? Unusable = null);
