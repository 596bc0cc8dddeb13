using System.Buffers.Binary;

namespace HyperSwarm.GpuActors.Data;

/// <summary>
/// Reads MNIST-style IDX files (ALGORITHMS §9.2), gzip-compressed or plain: big-endian magic
/// <c>00 00 type rank</c>, one big-endian uint32 per dimension, then row-major data.
/// Only uint8 images (magic 0x00000803) and uint8 labels (0x00000801) are accepted.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of a uint8 image file (N, H, W).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of a uint8 label file (N).</summary>
    public const int LabelsMagic = 0x00000801;

    private const byte UInt8Type = 0x08;

    /// <summary>Reads an image file and its label file into one single-channel dataset.</summary>
    public static ImageDataset Read(string imagesPath, string labelsPath, string name, int classCount = 10)
    {
        var (pixels, dims) = ReadTensor(imagesPath, rank: 3, "images");
        var (labelBytes, labelDims) = ReadTensor(labelsPath, rank: 1, "labels");
        if (labelDims[0] != dims[0])
        {
            throw new DataFormatException(labelsPath,
                $"it holds {labelDims[0]} labels but '{imagesPath}' holds {dims[0]} images");
        }

        var labels = new long[labelBytes.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            if (labelBytes[i] >= classCount)
            {
                throw new DataFormatException(labelsPath,
                    $"label {labelBytes[i]} at index {i} is outside the {classCount} classes [0, {classCount})");
            }

            labels[i] = labelBytes[i];
        }

        return new ImageDataset(name, pixels, labels, new ImageShape(1, dims[1], dims[2]), classCount);
    }

    // Returns the data bytes and the dimensions declared by the header.
    private static (byte[] Data, int[] Dims) ReadTensor(string path, int rank, string what)
    {
        using var stream = DataFile.Open(path);
        Span<byte> magic = stackalloc byte[4];
        var got = DataFile.ReadUpTo(stream, path, magic);
        var headerSize = 4 + 4 * rank;
        if (got < 4)
        {
            throw Truncated(path, $"the {headerSize}-byte IDX header is cut short at {got} bytes");
        }

        var expectedMagic = rank == 3 ? ImagesMagic : LabelsMagic;
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw new DataFormatException(path,
                $"it is not an IDX file (magic 0x{BinaryPrimitives.ReadInt32BigEndian(magic):X8}, expected 0x{expectedMagic:X8} for {what})");
        }

        if (magic[2] != UInt8Type)
        {
            throw new DataFormatException(path, $"its IDX element type is 0x{magic[2]:X2}, expected 0x08 (uint8) for {what}");
        }

        if (magic[3] != rank)
        {
            throw new DataFormatException(path, $"it has {magic[3]} IDX dimensions, expected {rank} for {what}");
        }

        Span<byte> sizes = stackalloc byte[4 * rank];
        got = DataFile.ReadUpTo(stream, path, sizes);
        if (got < sizes.Length)
        {
            throw Truncated(path, $"the {headerSize}-byte IDX header is cut short at {4 + got} bytes");
        }

        var dims = new int[rank];
        long total = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * d)..]);
            if (size > int.MaxValue)
            {
                throw new DataFormatException(path, $"dimension {d} declares {size} entries, more than one array can hold");
            }

            dims[d] = (int)size;
            total *= size;
            if (total > Array.MaxLength)
            {
                throw new DataFormatException(path, $"the header declares more than {Array.MaxLength} data bytes, more than one array can hold");
            }
        }

        var data = GC.AllocateUninitializedArray<byte>((int)total);
        got = DataFile.ReadUpTo(stream, path, data);
        if (got < data.Length)
        {
            throw Truncated(path, $"the header declares {string.Join('x', dims)} = {total} data bytes but only {got} follow");
        }

        if (!DataFile.AtEnd(stream, path))
        {
            throw new DataFormatException(path, $"extra bytes follow the {total} data bytes its header declares");
        }

        return (data, dims);
    }

    private static DataFormatException Truncated(string path, string detail) =>
        new(path, $"the file is truncated: {detail}");
}
