namespace HyperSwarm.GpuActors.Data;

/// <summary>Which split folder of an image folder a file lies in.</summary>
public enum ImageFolderSplit
{
    /// <summary>The folder has no split layout: the splits are carved from its class folders.</summary>
    None,

    /// <summary><c>train/</c>.</summary>
    Train,

    /// <summary><c>val/</c>.</summary>
    Validation,

    /// <summary><c>test/</c>.</summary>
    Test,
}
