namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Reads the CIFAR binary formats (ALGORITHMS §9.3): headerless fixed-size records, each label
/// byte(s) then a 3×32×32 image stored as red, green and blue planes, rows top to bottom.
/// CIFAR-10 records are 3073 bytes (label, pixels); CIFAR-100 records are 3074 bytes
/// (coarse label, fine label, pixels).
/// </summary>
public static class CifarReader
{
    /// <summary>The shape of every CIFAR image.</summary>
    public static readonly ImageShape Shape = new(3, 32, 32);

    /// <summary>Reads CIFAR-10 batch files (e.g. data_batch_1.bin … data_batch_5.bin) into one dataset.</summary>
    public static ImageDataset ReadCifar10(IReadOnlyList<string> files, string name) =>
        Read(files, name, labelBytes: 1, labelOffset: 0, classCount: 10, "CIFAR-10");

    /// <summary>Reads CIFAR-100 files (train.bin or test.bin) using the fine (100) or coarse (20) labels.</summary>
    public static ImageDataset ReadCifar100(IReadOnlyList<string> files, string name, CifarLabel label = CifarLabel.Fine) =>
        label == CifarLabel.Fine
            ? Read(files, name, labelBytes: 2, labelOffset: 1, classCount: 100, "CIFAR-100")
            : Read(files, name, labelBytes: 2, labelOffset: 0, classCount: 20, "CIFAR-100");

    private static ImageDataset Read(IReadOnlyList<string> files, string name, int labelBytes, int labelOffset, int classCount, string format)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentOutOfRangeException.ThrowIfZero(files.Count);
        var recordSize = labelBytes + Shape.Size;
        var contents = new byte[files.Count][];
        long records = 0;
        for (var f = 0; f < files.Count; f++)
        {
            contents[f] = DataFile.ReadAll(files[f]);
            var length = contents[f].Length;
            if (length == 0 || length % recordSize != 0)
            {
                throw new DataFormatException(files[f],
                    $"its {length} bytes are not a whole number of {recordSize}-byte {format} records");
            }

            records += length / recordSize;
        }

        if (records * Shape.Size > Array.MaxLength)
        {
            throw new DataFormatException(files[0], $"the {files.Count} files hold {records} images, more than one array can hold");
        }

        var images = GC.AllocateUninitializedArray<byte>((int)(records * Shape.Size));
        var labels = new long[records];
        var n = 0;
        for (var f = 0; f < files.Count; f++)
        {
            var data = contents[f];
            for (var r = 0; r < data.Length / recordSize; r++, n++)
            {
                var record = data.AsSpan(r * recordSize, recordSize);
                var label = record[labelOffset];
                if (label >= classCount)
                {
                    throw new DataFormatException(files[f],
                        $"record {r} has label {label}, outside the {classCount} classes [0, {classCount})");
                }

                labels[n] = label;
                record[labelBytes..].CopyTo(images.AsSpan(n * Shape.Size, Shape.Size));
            }
        }

        return new ImageDataset(name, images, labels, Shape, classCount);
    }
}
