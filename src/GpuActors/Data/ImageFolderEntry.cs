namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// One file of an image folder as listed, before decoding: where it is (relative to the folder,
/// '/'-separated), what the cache key reads of it (length, modification time), its class
/// (index into the folder's sorted class names) and its split folder.
/// </summary>
internal sealed record ImageFolderEntry(string RelativePath, long Length, long LastWriteTicks, int Label, ImageFolderSplit Split);
