namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// The files of an image folder, listed but not opened: one subfolder per class (the folder
/// name is the label), either directly in the folder or inside <c>train/</c>, <c>val/</c> and
/// <c>test/</c> split folders laid out the same way. Files anywhere below a class folder belong
/// to it; hidden files and folders (a leading '.') are ignored; files outside every class
/// folder are listed as strays, to be reported as skipped.
/// </summary>
internal sealed class ImageFolderLayout
{
    private static readonly (string Name, ImageFolderSplit Split)[] SplitFolders =
        [("train", ImageFolderSplit.Train), ("val", ImageFolderSplit.Validation), ("test", ImageFolderSplit.Test)];

    private static readonly EnumerationOptions AllFiles = new() { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden };

    // The class folders each split folder holds (ImageFolderSplit.None: the folder has no splits).
    private readonly ILookup<ImageFolderSplit, string> classFolders;

    private ImageFolderLayout(string root, bool hasSplits, IReadOnlyList<string> classes, IReadOnlyList<ImageFolderEntry> files, IReadOnlyList<SkippedFile> strays,
        ILookup<ImageFolderSplit, string> classFolders)
    {
        this.classFolders = classFolders;
        Root = root;
        HasSplits = hasSplits;
        Classes = classes;
        Files = files;
        Strays = strays;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Root { get; }

    /// <summary>Whether the folder holds <c>train/</c>, <c>val/</c> or <c>test/</c> instead of class folders.</summary>
    public bool HasSplits { get; }

    /// <summary>Every class folder name in any split, sorted ordinally: label = index.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The files in class folders, sorted by relative path.</summary>
    public IReadOnlyList<ImageFolderEntry> Files { get; }

    /// <summary>Files outside every class folder.</summary>
    public IReadOnlyList<SkippedFile> Strays { get; }

    /// <summary>Whether <paramref name="directory"/> has a visible subfolder, the one sign of an image folder.</summary>
    public static bool HasSubfolders(string directory) => Subfolders(directory).Any();

    /// <summary>Lists <paramref name="directory"/>; a layout that mixes split and class folders throws <see cref="DataFormatException"/>.</summary>
    public static ImageFolderLayout Read(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var folders = Subfolders(root).ToList();
        var splits = SplitFolders.Where(s => folders.Contains(s.Name, StringComparer.Ordinal)).ToList();
        var strays = FilesIn(root, recursive: false).Select(f => Stray(root, f)).ToList();
        var found = new List<(string Path, string Class, ImageFolderSplit Split)>();
        if (splits.Count == 0)
        {
            found.AddRange(folders.Select(name => (Path.Combine(root, name), name, ImageFolderSplit.None)));
        }
        else
        {
            var others = folders.Except(SplitFolders.Select(s => s.Name), StringComparer.Ordinal).ToList();
            if (others.Count > 0)
            {
                throw new DataFormatException(root,
                    $"it mixes split folders ({string.Join(", ", splits.Select(s => s.Name + "/"))}) with other folders ({string.Join(", ", others.Select(o => o + "/"))}); put every class folder inside train/, val/ or test/");
            }

            foreach (var (name, split) in splits)
            {
                var splitPath = Path.Combine(root, name);
                strays.AddRange(FilesIn(splitPath, recursive: false).Select(f => Stray(root, f)));
                found.AddRange(Subfolders(splitPath).Select(c => (Path.Combine(splitPath, c), c, split)));
            }
        }

        var classes = found.Select(f => f.Class).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var files = new List<ImageFolderEntry>();
        foreach (var (path, name, split) in found)
        {
            var label = classes.BinarySearch(name, StringComparer.Ordinal);
            files.AddRange(FilesIn(path, recursive: true).Select(f => new ImageFolderEntry(Relative(root, f.FullName), f.Length, f.LastWriteTimeUtc.Ticks, label, split)));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        strays.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new ImageFolderLayout(root, splits.Count > 0, classes, files, strays, found.ToLookup(f => f.Split, f => f.Class));
    }

    /// <summary>
    /// The classes a model trained on this folder learns: those of <c>train/</c>, or of every
    /// folder without a split layout. Throws <see cref="DataFormatException"/> when the folder
    /// cannot train a classifier: no <c>train/</c> beside <c>val/</c> or <c>test/</c>, fewer than
    /// two classes, or a class in <c>val/</c> or <c>test/</c> that <c>train/</c> lacks.
    /// </summary>
    public void CheckTrainable()
    {
        if (HasSplits && !Directory.Exists(Path.Combine(Root, "train")))
        {
            throw new DataFormatException(Root, "it has val/ or test/ but no train/ folder to learn from");
        }

        var trainClasses = HasSplits ? classFolders[ImageFolderSplit.Train].ToList() : [.. Classes];
        if (trainClasses.Count < 2)
        {
            var what = trainClasses.Count == 0 ? "no class folder" : $"only one class folder ({trainClasses[0]})";
            throw new DataFormatException(HasSplits ? Path.Combine(Root, "train") : Root,
                $"it holds {what}, and a classifier needs at least two (one subfolder of images per class)");
        }

        var missing = Classes.Except(trainClasses, StringComparer.Ordinal).FirstOrDefault();
        if (missing is not null)
        {
            var where = SplitFolders.First(s => classFolders[s.Split].Contains(missing, StringComparer.Ordinal)).Name;
            throw new DataFormatException(Path.Combine(Root, where, missing),
                $"class '{missing}' has no folder in train/, so the model could never learn it");
        }
    }

    /// <summary>Throws <see cref="DataFormatException"/> when a class folder is not among <paramref name="classNames"/> (a model's).</summary>
    public void CheckKnownTo(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var unknown = Classes.FirstOrDefault(c => !classNames.Contains(c, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new DataFormatException(Root,
                $"its class folder '{unknown}' is not one of the model's {classNames.Count} classes ({string.Join(", ", classNames.Take(10))}{(classNames.Count > 10 ? ", …" : "")})");
        }
    }

    // Visible subfolder names, sorted; listing failures become one sentence.
    private static IEnumerable<string> Subfolders(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).EnumerateDirectories()
                .Where(d => !d.Name.StartsWith('.'))
                .Select(d => d.Name)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DataFormatException(directory, $"the folder cannot be listed ({e.Message})", e);
        }
    }

    private static List<FileInfo> FilesIn(string directory, bool recursive)
    {
        try
        {
            var options = recursive ? AllFiles : new EnumerationOptions { AttributesToSkip = FileAttributes.Hidden };
            // A dot-folder's files are hidden too, whatever their own names.
            return new DirectoryInfo(directory).EnumerateFiles("*", options)
                .Where(f => !Relative(directory, f.FullName).Split('/').Any(part => part.StartsWith('.')))
                .ToList();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new DataFormatException(directory, $"the folder cannot be listed ({e.Message})", e);
        }
    }

    private static SkippedFile Stray(string root, FileInfo file) => new(Relative(root, file.FullName), "it lies outside every class folder");

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
