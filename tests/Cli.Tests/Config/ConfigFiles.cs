namespace HyperSwarm.Cli.Tests.Config;

/// <summary>A fresh folder for config files under the system temp path, deleted with its contents on dispose.</summary>
internal sealed class ConfigFiles : IDisposable
{
    public ConfigFiles() => Directory.CreateDirectory(Folder);

    /// <summary>The folder's full path.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "hs-config-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes <paramref name="yaml"/> to a file in the folder and returns its path.</summary>
    public string Write(string yaml, string name = "config.yaml")
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
