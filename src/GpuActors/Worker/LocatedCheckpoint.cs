namespace HyperSwarm.GpuActors.Worker;

/// <summary>A checkpoint file readable here.</summary>
/// <param name="Path">The file.</param>
/// <param name="Temporary">True for a copy fetched for one use: the caller deletes it after loading.</param>
public sealed record LocatedCheckpoint(string Path, bool Temporary);
