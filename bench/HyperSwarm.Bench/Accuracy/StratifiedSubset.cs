using System.Buffers.Binary;

namespace HyperSwarm.Bench.Accuracy;

/// <summary>
/// A small, stratified training set cut from an MNIST-style IDX dataset (<c>bench small-data</c>):
/// the first <c>perClass</c> images of every class in file order (deterministic, no randomness to
/// seed), written as plain IDX files beside the full test files, so <c>hyperswarm train --data</c>
/// reads it like any dataset folder.
/// </summary>
public static class StratifiedSubset
{
    private const int ImagesMagic = 0x00000803; // unsigned bytes, 3 dimensions
    private const int LabelsMagic = 0x00000801; // unsigned bytes, 1 dimension

    /// <summary>Writes the subset into <paramref name="target"/> and returns how many images of each class it holds.</summary>
    /// <exception cref="InvalidOperationException">A class has fewer than <paramref name="perClass"/> images.</exception>
    public static IReadOnlyDictionary<byte, int> Write(string source, string target, int perClass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perClass, 1);
        Directory.CreateDirectory(target);
        var labels = IdxFiles.Read(IdxFiles.Find(source, "train-labels-idx1-ubyte"));
        var images = IdxFiles.Read(IdxFiles.Find(source, "train-images-idx3-ubyte"));
        var count = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        var pixels = rows * columns;

        // File order within each class; classes interleaved as the file has them.
        var taken = new Dictionary<byte, int>();
        var chosen = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var label = labels[8 + i];
            var have = taken.GetValueOrDefault(label);
            if (have == perClass) continue;
            taken[label] = have + 1;
            chosen.Add(i);
        }
        if (taken.Values.Any(n => n < perClass))
            throw new InvalidOperationException($"{source} has a class with fewer than {perClass} training images.");

        var subsetLabels = new byte[8 + chosen.Count];
        BinaryPrimitives.WriteInt32BigEndian(subsetLabels, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(subsetLabels.AsSpan(4), chosen.Count);
        var subsetImages = new byte[16 + chosen.Count * pixels];
        BinaryPrimitives.WriteInt32BigEndian(subsetImages, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(subsetImages.AsSpan(4), chosen.Count);
        BinaryPrimitives.WriteInt32BigEndian(subsetImages.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(subsetImages.AsSpan(12), columns);
        for (var j = 0; j < chosen.Count; j++)
        {
            subsetLabels[8 + j] = labels[8 + chosen[j]];
            images.AsSpan(16 + chosen[j] * pixels, pixels).CopyTo(subsetImages.AsSpan(16 + j * pixels));
        }
        File.WriteAllBytes(Path.Combine(target, "train-labels-idx1-ubyte"), subsetLabels);
        File.WriteAllBytes(Path.Combine(target, "train-images-idx3-ubyte"), subsetImages);

        // The full test split, untouched: the score is comparable with bench accuracy's.
        foreach (var name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            var file = IdxFiles.Find(source, name);
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
        return taken;
    }
}
