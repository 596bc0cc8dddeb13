namespace HyperSwarm.Cli.Predict;

/// <summary>
/// The files <c>hyperswarm predict IMAGE|DIR...</c> names: each file as given, and every file
/// below each folder (hidden files and folders, with a leading <c>.</c>, left out, as in an image
/// folder) in ordinal path order. A path that does not exist is the request's mistake.
/// </summary>
internal static class PredictionInputs
{
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0) throw new UserError("name at least one image file or folder to predict.");
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (File.Exists(argument))
            {
                files.Add(argument);
            }
            else if (Directory.Exists(argument))
            {
                var below = Below(argument);
                if (below.Count == 0) throw new UserError($"the folder {argument} holds no files to predict.");
                files.AddRange(below);
            }
            else
            {
                throw new UserError($"{argument} does not exist; give image files or folders of them.");
            }
        }

        return files;
    }

    private static List<string> Below(string folder) =>
    [
        .. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal),
    ];
}
