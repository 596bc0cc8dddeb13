namespace HyperSwarm.Cli.Info;

/// <summary>Finds the path a shared library was mapped from, via /proc/self/maps (Linux).</summary>
internal static class LoadedLibraries
{
    public static string? Find(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && Path.GetFileName(line[slash..]).StartsWith(fileName, StringComparison.Ordinal))
            {
                return line[slash..];
            }
        }

        return null;
    }
}
