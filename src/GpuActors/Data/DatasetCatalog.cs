namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Finds and loads a dataset from a directory by the files it holds: MNIST or Fashion-MNIST IDX
/// files (train-/t10k-, gzip or not), CIFAR-10 binary batches or CIFAR-100 binary files,
/// either directly inside the directory or in the folder the official archive unpacks to; or,
/// failing those, an image folder: one subfolder of JPEG, PNG, BMP, GIF or WebP files per
/// class, optionally inside train/, val/ and test/ (<see cref="ImageFolderSets"/>).
/// </summary>
public static class DatasetCatalog
{
    private static readonly string[] CifarFolders = ["", "cifar-10-batches-bin", "cifar-100-binary"];

    /// <summary>Loads whichever supported dataset <paramref name="directory"/> holds.</summary>
    /// <param name="directory">Where the files are.</param>
    /// <param name="cifar100Label">For CIFAR-100, whether to use the fine or the coarse labels.</param>
    public static TrainTestSets Load(string directory, CifarLabel cifar100Label = CifarLabel.Fine) =>
        Load(directory, new DatasetLoadOptions { Cifar100Label = cifar100Label });

    /// <summary>Loads whichever supported dataset <paramref name="directory"/> holds, as <paramref name="options"/> say.</summary>
    /// <exception cref="DataFormatException">There is no dataset there, or it cannot be used; one sentence.</exception>
    public static TrainTestSets Load(string directory, DatasetLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(directory))
        {
            throw new DataFormatException(directory, File.Exists(directory) ? "it is a file, not a dataset directory" : "the directory does not exist");
        }

        return TryIdx(directory) ?? TryCifar10(directory) ?? TryCifar100(directory, options.Cifar100Label)
            ?? (ImageFolderLayout.HasSubfolders(directory) ? ImageFolderSets.Load(directory, options) : null)
            ?? throw new DataFormatException(directory,
                "it holds neither MNIST-style IDX files (train-images-idx3-ubyte[.gz] …), CIFAR-10/100 binary batches, nor class folders of images (one subfolder per class)");
    }

    /// <summary>Whether <paramref name="directory"/> would load as an image folder (it holds no IDX or CIFAR files, and has subfolders).</summary>
    public static bool IsImageFolder(string directory) =>
        Directory.Exists(directory) && FindIdx(directory, "train", "images", 3) is null
        && !CifarFolders.Any(f => File.Exists(Path.Combine(directory, f, "data_batch_1.bin")) || File.Exists(Path.Combine(directory, f, "train.bin")))
        && ImageFolderLayout.HasSubfolders(directory);

    private static TrainTestSets? TryIdx(string directory)
    {
        var trainImages = FindIdx(directory, "train", "images", 3);
        if (trainImages is null)
        {
            return null;
        }

        // The two formats share file names, so the directory name is the only hint.
        var name = Path.GetFullPath(directory).Contains("fashion", StringComparison.OrdinalIgnoreCase) ? "fashion-mnist" : "mnist";
        var train = IdxReader.Read(trainImages, RequireIdx(directory, "train", "labels", 1), $"{name}/train");
        var test = IdxReader.Read(RequireIdx(directory, "t10k", "images", 3), RequireIdx(directory, "t10k", "labels", 1), $"{name}/test");
        return new TrainTestSets(name, train, test);
    }

    private static TrainTestSets? TryCifar10(string directory)
    {
        foreach (var folder in CifarFolders)
        {
            var dir = Path.Combine(directory, folder);
            var first = Path.Combine(dir, "data_batch_1.bin");
            if (!File.Exists(first))
            {
                continue;
            }

            var batches = Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin")).ToArray();
            var train = CifarReader.ReadCifar10(batches, "cifar-10/train");
            var test = CifarReader.ReadCifar10([Path.Combine(dir, "test_batch.bin")], "cifar-10/test");
            return new TrainTestSets("cifar-10", train, test);
        }

        return null;
    }

    private static TrainTestSets? TryCifar100(string directory, CifarLabel label)
    {
        foreach (var folder in CifarFolders)
        {
            var dir = Path.Combine(directory, folder);
            var trainFile = Path.Combine(dir, "train.bin");
            if (!File.Exists(trainFile))
            {
                continue;
            }

            var name = label == CifarLabel.Fine ? "cifar-100" : "cifar-100-coarse";
            var train = CifarReader.ReadCifar100([trainFile], $"{name}/train", label);
            var test = CifarReader.ReadCifar100([Path.Combine(dir, "test.bin")], $"{name}/test", label);
            return new TrainTestSets(name, train, test);
        }

        return null;
    }

    // MNIST mirrors spell the files train-images-idx3-ubyte or train-images.idx3-ubyte, gzip or not.
    private static string? FindIdx(string directory, string split, string kind, int rank)
    {
        foreach (var separator in new[] { '-', '.' })
        {
            var stem = Path.Combine(directory, $"{split}-{kind}{separator}idx{rank}-ubyte");
            if (File.Exists(stem + ".gz")) return stem + ".gz";
            if (File.Exists(stem)) return stem;
        }

        return null;
    }

    private static string RequireIdx(string directory, string split, string kind, int rank) =>
        FindIdx(directory, split, kind, rank)
        ?? throw new DataFormatException(Path.Combine(directory, $"{split}-{kind}-idx{rank}-ubyte.gz"),
            "the file does not exist (neither gzip nor plain) though the directory holds train-images");
}
