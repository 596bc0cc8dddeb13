namespace HyperSwarm.GpuActors.Data;

/// <summary>A file of an image folder that could not be used, and why (a clause: "the file is empty").</summary>
public sealed record SkippedFile(string Path, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Reason}";
}
