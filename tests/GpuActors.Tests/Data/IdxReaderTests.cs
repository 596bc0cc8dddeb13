using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Plain_and_gzip_files_read_to_the_same_images_and_labels(bool gzip)
    {
        var (images, labels) = files.WriteIdxPair("train", count: 3, gzip);

        var data = IdxReader.Read(images, labels, "tiny");

        Assert.Equal(3, data.Count);
        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal(TestFiles.Ramp(3 * 784), data.Images);
        Assert.Equal([0L, 1, 2], data.Labels);
        Assert.Equal("tiny", data.Name);
    }

    [Fact]
    public void Real_fashion_mnist_has_60000_training_and_10000_test_images_of_10_classes()
    {
        var dir = TestFiles.FashionMnistDir;

        var train = IdxReader.Read(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Path.Combine(dir, "train-labels-idx1-ubyte.gz"), "train");
        var test = IdxReader.Read(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), "test");

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(new ImageShape(1, 28, 28), train.Shape);
        Assert.Equal(10, train.ClassCount);
        // First labels and the first image's pixel sum, read once with Python's gzip module.
        Assert.Equal([9L, 0, 0, 3, 0, 2, 7, 2, 5, 5], train.Labels[..10]);
        Assert.Equal([9L, 2, 1, 1, 6, 1, 4, 6, 5, 7], test.Labels[..10]);
        Assert.Equal(76247, train.Image(0).ToArray().Sum(p => p));
    }

    [Fact]
    public void Truncated_image_file_names_the_file_and_the_byte_count()
    {
        var full = TestFiles.Idx([2, 28, 28], TestFiles.Ramp(2 * 784));
        var images = files.Write("train-images-idx3-ubyte", full[..1000]);
        var (_, labels) = files.WriteIdxPair("x", 2, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Equal(images, e.Path);
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
        Assert.Contains("1568 data bytes but only 984 follow", e.Message, StringComparison.Ordinal);
        Assert.Contains(images, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_header_is_reported_as_truncated()
    {
        var images = files.Write("i", TestFiles.Idx([2, 28, 28], [])[..9]);
        var (_, labels) = files.WriteIdxPair("x", 2, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Contains("header is cut short at 9 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_gzip_file_is_reported_with_its_path()
    {
        var (imagesPath, labels) = files.WriteIdxPair("train", 2, gzip: true);
        var gz = File.ReadAllBytes(imagesPath);
        File.WriteAllBytes(imagesPath, gz[..(gz.Length / 2)]);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, labels, "t"));

        Assert.Equal(imagesPath, e.Path);
        Assert.Matches("truncated|corrupt", e.Message);
    }

    [Fact]
    public void Wrong_magic_is_reported_in_hex()
    {
        var images = files.Write("i", TestFiles.Idx([1, 28, 28], new byte[784], magic: 0x12340803));
        var (_, labels) = files.WriteIdxPair("x", 1, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Equal($"Cannot read '{images}': it is not an IDX file (magic 0x12340803, expected 0x00000803 for images).", e.Message);
    }

    [Fact]
    public void Labels_file_given_as_images_is_refused_for_its_rank()
    {
        var (images, labels) = files.WriteIdxPair("x", 1, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(labels, images, "t"));

        Assert.Equal(labels, e.Path);
        Assert.Contains("it has 1 IDX dimensions, expected 3 for images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_uint8_element_type_is_refused()
    {
        var images = files.Write("i", TestFiles.Idx([1, 28, 28], new byte[784], magic: 0x00000D03));
        var (_, labels) = files.WriteIdxPair("x", 1, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Contains("element type is 0x0D, expected 0x08 (uint8)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_count_differing_from_image_count_names_the_labels_file_and_both_counts()
    {
        var (images, labels) = files.WriteIdxPair("train", count: 4, gzip: true, labelCount: 3);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Equal($"Cannot read '{labels}': it holds 3 labels but '{images}' holds 4 images.", e.Message);
    }

    [Fact]
    public void Extra_bytes_after_the_declared_data_are_refused()
    {
        var images = files.Write("i", [.. TestFiles.Idx([1, 28, 28], new byte[784]), 7]);
        var (_, labels) = files.WriteIdxPair("x", 1, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Contains("extra bytes follow the 784 data bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_outside_the_classes_is_refused_with_its_index()
    {
        var (images, _) = files.WriteIdxPair("x", 2, gzip: false);
        var labels = files.Write("l", TestFiles.Idx([2], [3, 12]));

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, labels, "t"));

        Assert.Contains("label 12 at index 1 is outside the 10 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_as_not_existing()
    {
        var missing = Path.Combine(files.Directory, "nope-images-idx3-ubyte.gz");
        var (_, labels) = files.WriteIdxPair("x", 1, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(missing, labels, "t"));

        Assert.Equal($"Cannot read '{missing}': the file does not exist.", e.Message);
    }

    [Fact]
    public void Missing_directory_and_directory_paths_are_reported()
    {
        var (images, _) = files.WriteIdxPair("x", 1, gzip: false);
        var inMissingDir = Path.Combine(files.Directory, "absent", "labels");

        var missingDir = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, inMissingDir, "t"));
        var isDir = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, files.Directory, "t"));

        Assert.Contains("its directory does not exist", missingDir.Message, StringComparison.Ordinal);
        Assert.Contains("it is a directory, not a file", isDir.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreadable_file_is_reported_with_the_failed_read()
    {
        // Tests run as root, so file modes cannot deny a read; reading address 0 of /proc/self/mem fails with EIO.
        var (images, _) = files.WriteIdxPair("x", 1, gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, "/proc/self/mem", "t"));

        Assert.Equal("Cannot read '/proc/self/mem': reading failed after 0 bytes (IOException).", e.Message);
    }

    [Fact]
    public void Pipe_is_refused_as_not_a_regular_file()
    {
        var (images, _) = files.WriteIdxPair("x", 1, gzip: false);
        var fifo = Path.Combine(files.Directory, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        // Opening a FIFO for reading blocks until a writer exists; a read-write open (Linux) does not block and is one.
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(images, fifo, "t"));

        Assert.Contains("it is not a regular file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_gzip_data_is_reported_as_corrupt()
    {
        var (imagesPath, labels) = files.WriteIdxPair("train", 3, gzip: true);
        var gz = File.ReadAllBytes(imagesPath);
        for (var i = 20; i < gz.Length - 20; i++)
        {
            gz[i] ^= 0x5A; // scramble the deflate stream, keep the gzip header
        }

        File.WriteAllBytes(imagesPath, gz);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.Read(imagesPath, labels, "t"));

        Assert.Equal($"Cannot read '{imagesPath}': the gzip data is corrupt.", e.Message);
    }
}
