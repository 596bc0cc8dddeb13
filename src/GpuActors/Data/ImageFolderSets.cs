namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// An image folder as train and test sets. The test set is <c>test/</c>, or else the
/// <see cref="ImagePreprocessing.TestFraction"/> of each class ranked first by a hash of the
/// fixed <see cref="ImagePreprocessing.TestSeed"/> and the file's path: the same images for every
/// run and every <c>eval</c>, never seen before the end. Validation is <c>val/</c> when there is
/// one, else carved per class by each run (<see cref="TrainTestSets.Split"/>).
/// </summary>
internal static class ImageFolderSets
{
    /// <summary>Loads <paramref name="directory"/> (which has subfolders) as <paramref name="options"/> say.</summary>
    public static TrainTestSets Load(string directory, DatasetLoadOptions options)
    {
        var layout = ImageFolderLayout.Read(directory);
        if (options.ClassNames is { } known) layout.CheckKnownTo(known);
        else layout.CheckTrainable(); // before decoding: a folder that cannot train fails at once

        var recipe = options.Preprocessing;
        var decoded = ImageFolderReader.Read(layout, recipe?.ImageSize ?? options.ImageSize, options);
        if (options.ClassNames is null) CheckEveryClassHasImages(layout, decoded);

        // The side is what was decoded (asked for, or chosen from the data); the channels are the model's, else the data's.
        var channels = recipe?.Channels ?? decoded.Shape.Channels;
        var preprocessing = recipe is null
            ? new ImagePreprocessing { ImageSize = decoded.Shape.Height, Channels = channels }
            : recipe with { ImageSize = decoded.Shape.Height };
        return Assemble(layout, decoded, preprocessing, options.ClassNames ?? decoded.Classes);
    }

    private static TrainTestSets Assemble(ImageFolderLayout layout, DecodedImageFolder decoded, ImagePreprocessing preprocessing, IReadOnlyList<string> names)
    {
        var images = decoded.Images;
        var pixels = ChannelConversion.Convert(decoded.Pixels, decoded.Shape, preprocessing.Channels);
        var labels = images.Select(i => (long)IndexOf(names, decoded.Classes[i.Label])).ToArray();
        var test = TestImages(layout, decoded, preprocessing);
        int[] Where(Func<int, bool> keep) => [.. Enumerable.Range(0, images.Count).Where(keep)];
        var testIndices = Where(i => test[i]);
        var validation = Where(i => images[i].Split == ImageFolderSplit.Validation);
        var train = Where(i => !test[i] && images[i].Split != ImageFolderSplit.Validation);
        if (testIndices.Length == 0) throw NothingToTest(layout);

        var name = Path.GetFileName(layout.Root);
        ImageDataset Set(string split, int[] indices) => Gather($"{name}/{split}", pixels, labels, preprocessing.Shape, names.Count, indices);
        return new TrainTestSets(name, Set("train", [.. train, .. validation]), Set("test", testIndices))
        {
            ClassNames = [.. names],
            Preprocessing = preprocessing,
            Validation = validation.Length > 0 ? [.. Enumerable.Range(train.Length, validation.Length)] : null,
            Stratified = true,
            Skipped = decoded.Skipped,
        };
    }

    private static DataFormatException NothingToTest(ImageFolderLayout layout)
    {
        var testFolder = Path.Combine(layout.Root, "test");
        return layout.HasSplits && Directory.Exists(testFolder)
            ? new DataFormatException(testFolder, "it holds no usable image to test the model on")
            : new DataFormatException(layout.Root, "it has too few images to hold some out for testing; give at least one class two usable images");
    }

    // Which images are test images: test/'s, or the held-out share of the rest when there is no test/.
    private static bool[] TestImages(ImageFolderLayout layout, DecodedImageFolder decoded, ImagePreprocessing preprocessing)
    {
        var images = decoded.Images;
        if (layout.HasSplits && Directory.Exists(Path.Combine(layout.Root, "test")))
        {
            return [.. images.Select(i => i.Split == ImageFolderSplit.Test)];
        }

        // Validation images never become test images; only the training pool is sampled.
        var pool = Enumerable.Range(0, images.Count).Where(i => images[i].Split != ImageFolderSplit.Validation).ToArray();
        var held = StratifiedHoldout.Pick([.. pool.Select(i => (long)images[i].Label)], preprocessing.TestFraction,
            k => StratifiedHoldout.Rank(preprocessing.TestSeed, images[pool[k]].RelativePath));
        var test = new bool[images.Count];
        for (var k = 0; k < pool.Length; k++) test[pool[k]] = held[k];
        return test;
    }

    // A training class whose every file was skipped cannot be learnt: say which, and why its files went.
    private static void CheckEveryClassHasImages(ImageFolderLayout layout, DecodedImageFolder decoded)
    {
        var learnt = decoded.Images.Where(i => i.Split is ImageFolderSplit.None or ImageFolderSplit.Train).Select(i => i.Label).ToHashSet();
        for (var label = 0; label < decoded.Classes.Count; label++)
        {
            if (learnt.Contains(label)) continue;
            var name = decoded.Classes[label];
            var folder = layout.HasSplits ? $"train/{name}" : name;
            var skipped = decoded.Skipped.Where(s => s.Path.StartsWith(folder + "/", StringComparison.Ordinal)).ToList();
            throw new DataFormatException(Path.Combine(layout.Root, folder), skipped.Count == 0
                ? $"class '{name}' has no image (its folder holds no files)"
                : $"class '{name}' has no usable image: all {skipped.Count} of its files were skipped (the first, {skipped[0]})");
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }

        throw new InvalidOperationException($"class '{name}' was checked against the model's classes but is missing");
    }

    private static ImageDataset Gather(string name, byte[] pixels, long[] labels, ImageShape shape, int classCount, int[] indices)
    {
        var images = GC.AllocateUninitializedArray<byte>(indices.Length * shape.Size);
        var picked = new long[indices.Length];
        for (var n = 0; n < indices.Length; n++)
        {
            pixels.AsSpan(indices[n] * shape.Size, shape.Size).CopyTo(images.AsSpan(n * shape.Size));
            picked[n] = labels[indices[n]];
        }

        return new ImageDataset(name, images, picked, shape, classCount);
    }
}
