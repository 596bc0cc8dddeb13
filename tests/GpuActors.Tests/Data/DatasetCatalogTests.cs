using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Real_fashion_mnist_directory_loads_as_fashion_mnist()
    {
        var sets = DatasetCatalog.Load(TestFiles.FashionMnistDir);

        Assert.Equal("fashion-mnist", sets.Name);
        Assert.Equal("fashion-mnist/train", sets.Train.Name);
        Assert.Equal(60000, sets.Train.Count);
        Assert.Equal(10000, sets.Test.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Idx_files_plain_or_gzip_are_detected_as_mnist(bool gzip)
    {
        files.WriteIdxPair("train", 3, gzip);
        files.WriteIdxPair("t10k", 2, gzip);

        var sets = DatasetCatalog.Load(files.Directory);

        Assert.Equal("mnist", sets.Name);
        Assert.Equal(3, sets.Train.Count);
        Assert.Equal(2, sets.Test.Count);
    }

    [Fact]
    public void Cifar10_batches_in_the_archive_folder_are_detected()
    {
        for (var i = 1; i <= 5; i++)
        {
            files.Write($"cifar-10-batches-bin/data_batch_{i}.bin", TestFiles.CifarRecords(2, labelBytes: 1));
        }

        files.Write("cifar-10-batches-bin/test_batch.bin", TestFiles.CifarRecords(3, labelBytes: 1));

        var sets = DatasetCatalog.Load(files.Directory);

        Assert.Equal("cifar-10", sets.Name);
        Assert.Equal(10, sets.Train.Count);
        Assert.Equal(3, sets.Test.Count);
    }

    [Fact]
    public void Cifar100_files_are_detected_with_the_chosen_labels()
    {
        files.Write("train.bin", TestFiles.CifarRecords(4, labelBytes: 2));
        files.Write("test.bin", TestFiles.CifarRecords(1, labelBytes: 2));

        var sets = DatasetCatalog.Load(files.Directory, CifarLabel.Coarse);

        Assert.Equal("cifar-100-coarse", sets.Name);
        Assert.Equal(20, sets.Train.ClassCount);
        Assert.Equal(4, sets.Train.Count);
    }

    [Fact]
    public void Missing_test_labels_name_the_expected_file()
    {
        files.WriteIdxPair("train", 1, gzip: true);
        var (t10kImages, t10kLabels) = files.WriteIdxPair("t10k", 1, gzip: true);
        File.Delete(t10kLabels);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(files.Directory));

        Assert.Equal(t10kLabels, e.Path);
        Assert.True(File.Exists(t10kImages));
    }

    [Fact]
    public void Directory_without_a_dataset_is_reported()
    {
        files.Write("readme.txt", [1, 2, 3]);

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(files.Directory));

        Assert.Equal(files.Directory, e.Path);
        Assert.Contains("neither MNIST-style IDX files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_directory_is_reported()
    {
        var missing = Path.Combine(files.Directory, "absent");

        var e = Assert.Throws<DataFormatException>(() => DatasetCatalog.Load(missing));

        Assert.Equal($"Cannot read '{missing}': the directory does not exist.", e.Message);
    }
}
