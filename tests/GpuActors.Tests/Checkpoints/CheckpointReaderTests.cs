using System.Buffers.Binary;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class CheckpointReaderTests
{
    [Fact]
    public async Task Round_trip_keeps_tensors_step_config_and_metadata()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.safetensors");
        var written = Samples.Content(step: 1200, bigFloats: 1000);

        await CheckpointWriter.WriteAsync(path, written, CancellationToken.None);
        var read = CheckpointReader.Read(path);

        Assert.Equal(1200, read.Step);
        Assert.Equal(written.Config, read.Config);
        Assert.Equal(written.Metadata, read.Metadata);
        Assert.Equal(Path.GetFullPath(path), Path.GetFullPath(read.SourcePath!));
        Assert.Equal(written.Tensors.Select(t => t.Name), read.Tensors.Select(t => t.Name));
        foreach (var ((_, a), (_, b)) in written.Tensors.Zip(read.Tensors))
        {
            Assert.Equal(a.DType, b.DType);
            Assert.Equal(a.Shape, b.Shape);
            Assert.Equal(a.Data, b.Data);
        }
    }

    [Fact]
    public async Task A_truncated_file_is_detected()
    {
        var path = await WrittenAsync(out var dir);
        using (dir)
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^10]);

            AssertCorrupt(path, "is truncated");
        }
    }

    [Fact]
    public async Task A_flipped_byte_in_the_data_is_detected()
    {
        var path = await WrittenAsync(out var dir);
        using (dir)
        {
            Flip(path, File.ReadAllBytes(path).Length - 100);

            AssertCorrupt(path, "fails its checksum");
        }
    }

    [Fact]
    public async Task A_flipped_byte_in_the_header_is_detected()
    {
        var path = await WrittenAsync(out var dir);
        using (dir)
        {
            // Inside the config value: the JSON stays valid, only the checksum can tell.
            var at = IndexOf(path, "tiny"u8);
            Flip(path, at, 0x01);

            AssertCorrupt(path, "fails its checksum");
        }
    }

    [Fact]
    public async Task A_flipped_byte_in_the_stored_checksum_is_detected()
    {
        var path = await WrittenAsync(out var dir);
        using (dir)
        {
            var at = IndexOf(path, "hs.sha256\":\""u8) + 12;
            var bytes = File.ReadAllBytes(path);
            bytes[at] = bytes[at] == (byte)'a' ? (byte)'b' : (byte)'a';
            File.WriteAllBytes(path, bytes);

            AssertCorrupt(path, "fails its checksum");
        }
    }

    [Theory]
    [InlineData(-8)]
    [InlineData(8)]
    public async Task A_wrong_header_length_is_detected(int delta)
    {
        var path = await WrittenAsync(out var dir);
        using (dir)
        {
            var bytes = File.ReadAllBytes(path);
            var n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)((long)n + delta));
            File.WriteAllBytes(path, bytes);

            AssertCorrupt(path, "not valid JSON");
        }
    }

    [Fact]
    public async Task A_plain_safetensors_file_without_checksum_is_not_taken_for_a_checkpoint()
    {
        using var dir = new TempDirectory();
        var path = dir.File("plain.safetensors");
        await using (var s = File.Create(path))
        {
            await SafetensorsWriter.WriteAsync(s, Samples.EveryDType(), new Dictionary<string, string>(), CancellationToken.None);
        }

        AssertCorrupt(path, "has no 'hs.sha256' checksum");
    }

    [Fact]
    public async Task Verify_accepts_a_good_file_and_streams_a_large_one_through_its_buffer()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.safetensors");
        await CheckpointWriter.WriteAsync(path, Samples.Content(bigFloats: CheckpointReader.VerifyBufferBytes), CancellationToken.None);

        CheckpointReader.Verify(path);

        Flip(path, (int)new FileInfo(path).Length - 1);
        Assert.Throws<CheckpointException>(() => CheckpointReader.Verify(path));
    }

    private static Task<string> WrittenAsync(out TempDirectory dir)
    {
        dir = new TempDirectory();
        return WriteAsync(dir.File("c.safetensors"));
    }

    private static async Task<string> WriteAsync(string path)
    {
        await CheckpointWriter.WriteAsync(path, Samples.Content(bigFloats: 100), CancellationToken.None);
        return path;
    }

    private static void AssertCorrupt(string path, string problem)
    {
        var read = Assert.Throws<CheckpointException>(() => CheckpointReader.Read(path));
        var verify = Assert.Throws<CheckpointException>(() => CheckpointReader.Verify(path));

        Assert.Contains(problem, read.Message, StringComparison.Ordinal);
        Assert.Contains(path, read.Message, StringComparison.Ordinal);
        Assert.Equal(read.Message, verify.Message);
    }

    private static int IndexOf(string path, ReadOnlySpan<byte> needle) => File.ReadAllBytes(path).AsSpan().IndexOf(needle);

    private static void Flip(string path, int at, byte mask = 0xFF)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at] ^= mask;
        File.WriteAllBytes(path, bytes);
    }
}
