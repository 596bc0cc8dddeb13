namespace HyperSwarm.Coordinator.Tests.Store.Support;

/// <summary>A fresh folder under the system temp directory, deleted with everything in it.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hs-store-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
