using System.Buffers.Binary;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class SafetensorsWriterTests
{
    [Fact]
    public async Task File_starts_with_the_little_endian_header_length_and_ends_with_the_raw_tensor_bytes()
    {
        var tensors = Samples.EveryDType();
        using var stream = new MemoryStream();

        await SafetensorsWriter.WriteAsync(stream, tensors, new Dictionary<string, string>(), CancellationToken.None);

        var file = stream.ToArray();
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, (8 + n) % 8);
        var expectedData = tensors.SelectMany(t => t.Tensor.Data).ToArray();
        Assert.Equal(expectedData, file[(int)(8 + n)..]);
    }

    [Fact]
    public void Length_prefix_is_eight_bytes_little_endian()
    {
        Assert.Equal(new byte[] { 0x10, 0x01, 0, 0, 0, 0, 0, 0 }, SafetensorsWriter.LengthPrefix(0x110));
    }

    [Fact]
    public async Task Cancellation_stops_the_write()
    {
        using var stream = new MemoryStream();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SafetensorsWriter.WriteAsync(stream, Samples.EveryDType(), new Dictionary<string, string>(), cts.Token));
    }
}
