namespace HyperSwarm.GpuActors.Data;

/// <summary>How far decoding an image folder has got: <paramref name="Done"/> of <paramref name="Total"/> files.</summary>
public readonly record struct ImageDecodeProgress(int Done, int Total);
