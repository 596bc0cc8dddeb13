using HyperSwarm.GpuActors.Data;

namespace HyperSwarm.GpuActors.Tests.Data;

public sealed class CifarReaderTests : IDisposable
{
    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Cifar10_batches_concatenate_into_one_chw_dataset()
    {
        var first = files.Write("data_batch_1.bin", TestFiles.CifarRecords(3, labelBytes: 1));
        var second = files.Write("data_batch_2.bin", TestFiles.CifarRecords(2, labelBytes: 1));

        var data = CifarReader.ReadCifar10([first, second], "c10");

        Assert.Equal(5, data.Count);
        Assert.Equal(new ImageShape(3, 32, 32), data.Shape);
        Assert.Equal(10, data.ClassCount);
        Assert.Equal([0L, 1, 2, 0, 1], data.Labels);
        Assert.All(data.Image(2).ToArray(), p => Assert.Equal(2, p));
        Assert.All(data.Image(3).ToArray(), p => Assert.Equal(0, p));
    }

    [Fact]
    public void Cifar10_planes_keep_red_green_blue_order()
    {
        var record = new byte[3073];
        record[0] = 4;
        record.AsSpan(1, 1024).Fill(10);    // red plane
        record.AsSpan(1025, 1024).Fill(20); // green
        record.AsSpan(2049, 1024).Fill(30); // blue
        var path = files.Write("one.bin", record);

        var data = CifarReader.ReadCifar10([path], "c10");

        Assert.Equal([10, 20, 30], new[] { data.Images[0], data.Images[1024], data.Images[2048] });
        Assert.Equal(4, data.Labels[0]);
    }

    [Theory]
    [InlineData(CifarLabel.Fine, 100, new long[] { 50, 51, 52 })]
    [InlineData(CifarLabel.Coarse, 20, new long[] { 0, 1, 2 })]
    public void Cifar100_uses_the_chosen_label(CifarLabel label, int classes, long[] expected)
    {
        var path = files.Write("train.bin", TestFiles.CifarRecords(3, labelBytes: 2));

        var data = CifarReader.ReadCifar100([path], "c100", label);

        Assert.Equal(classes, data.ClassCount);
        Assert.Equal(expected, data.Labels);
        Assert.All(data.Image(1).ToArray(), p => Assert.Equal(1, p));
    }

    [Fact]
    public void Wrong_record_size_names_the_file_and_the_record_size()
    {
        var path = files.Write("data_batch_1.bin", TestFiles.CifarRecords(2, labelBytes: 2));

        var e = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10([path], "c10"));

        Assert.Equal($"Cannot read '{path}': its 6148 bytes are not a whole number of 3073-byte CIFAR-10 records.", e.Message);
    }

    [Fact]
    public void Truncated_last_record_is_refused()
    {
        var path = files.Write("train.bin", TestFiles.CifarRecords(2, labelBytes: 2)[..5000]);

        var e = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar100([path], "c100"));

        Assert.Contains("5000 bytes are not a whole number of 3074-byte CIFAR-100 records", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        var path = files.Write("test_batch.bin", []);

        var e = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10([path], "c10"));

        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void Label_out_of_range_names_the_record()
    {
        var bytes = TestFiles.CifarRecords(3, labelBytes: 1);
        bytes[2 * 3073] = 11;
        var path = files.Write("data_batch_1.bin", bytes);

        var e = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10([path], "c10"));

        Assert.Contains("record 2 has label 11, outside the 10 classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_batch_is_reported()
    {
        var path = Path.Combine(files.Directory, "data_batch_9.bin");

        var e = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10([path], "c10"));

        Assert.Equal($"Cannot read '{path}': the file does not exist.", e.Message);
    }
}
