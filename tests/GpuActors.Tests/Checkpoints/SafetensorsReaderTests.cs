using System.Buffers.Binary;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class SafetensorsReaderTests
{
    [Fact]
    public async Task Every_dtype_reads_back_byte_for_byte()
    {
        using var dir = new TempDirectory();
        var path = dir.File("all.safetensors");
        var tensors = Samples.EveryDType();
        await using (var s = File.Create(path))
        {
            await SafetensorsWriter.WriteAsync(s, tensors, new Dictionary<string, string> { ["k"] = "v" }, CancellationToken.None);
        }

        using var reader = SafetensorsReader.Open(path);

        Assert.Equal("v", reader.Header.Metadata["k"]);
        Assert.Equal(tensors.Count, reader.Header.Entries.Count);
        foreach (var (entry, (name, tensor)) in reader.Header.Entries.Zip(tensors))
        {
            var data = new byte[entry.ByteLength];
            reader.ReadNext(entry, data);
            Assert.Equal(name, entry.Name);
            Assert.Equal(tensor.DType, entry.DType);
            Assert.Equal(tensor.Shape, entry.Shape);
            Assert.Equal(tensor.Data, data);
        }
    }

    [Fact]
    public async Task A_large_tensor_streams_through_a_small_buffer_in_file_order()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.safetensors");
        var values = Enumerable.Range(0, 10_000).Select(i => (float)i).ToArray();
        await using (var s = File.Create(path))
        {
            await SafetensorsWriter.WriteAsync(s, [("v", HostTensor.FromArray<float>(values, values.Length))], new Dictionary<string, string>(), CancellationToken.None);
        }

        using var reader = SafetensorsReader.Open(path);
        var entry = reader.Header.Entries[0];
        var buffer = new byte[4096];
        var all = new List<byte>();
        for (long done = 0; done < entry.ByteLength; done += buffer.Length)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, entry.ByteLength - done));
            reader.ReadNext(entry, done, chunk);
            all.AddRange(chunk.ToArray());
        }

        Assert.Equal(HostTensor.FromArray<float>(values, values.Length).Data, all);
        Assert.Throws<ArgumentException>(() => reader.ReadNext(entry, 0, buffer));
    }

    [Fact]
    public void A_file_shorter_than_the_length_field_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var e = Assert.Throws<CheckpointException>(() => SafetensorsReader.Open(path));

        Assert.Contains("too short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_beyond_the_end_of_the_file_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.safetensors");
        var file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        File.WriteAllBytes(path, file);

        var e = Assert.Throws<CheckpointException>(() => SafetensorsReader.Open(path));

        Assert.Contains("declares a header of 18446744073709551615 bytes but only 8 bytes follow", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_as_unreadable()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<CheckpointException>(() => SafetensorsReader.Open(dir.File("nope.safetensors")));

        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bool_tensor_holding_other_bytes_than_zero_and_one_is_rejected()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bool.safetensors");
        await using (var s = File.Create(path))
        {
            await SafetensorsWriter.WriteAsync(s, [("m", HostTensor.FromArray<bool>([true, false], 2))], new Dictionary<string, string>(), CancellationToken.None);
        }

        var bytes = File.ReadAllBytes(path);
        bytes[^1] = 2;
        File.WriteAllBytes(path, bytes);
        using var reader = SafetensorsReader.Open(path);

        var e = Assert.Throws<CheckpointException>(() => reader.ReadNext(reader.Header.Entries[0], new byte[2]));

        Assert.Contains("BOOL tensor 'm'", e.Message, StringComparison.Ordinal);
    }
}
