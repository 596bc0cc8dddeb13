namespace HyperSwarm.GpuActors.Data;

/// <summary>One decoded image: its file (relative to the folder, '/'-separated), class and split folder.</summary>
internal readonly record struct DecodedImage(string RelativePath, int Label, ImageFolderSplit Split);
