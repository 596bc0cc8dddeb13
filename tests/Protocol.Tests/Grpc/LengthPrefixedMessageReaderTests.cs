using System.IO.Pipelines;
using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class LengthPrefixedMessageReaderTests
{
    [Fact]
    public async Task Messages_split_at_every_byte_boundary_are_reassembled()
    {
        byte[] stream = [.. Frame(3), .. Frame(0), .. Frame(70_000)];
        var pipe = new Pipe();
        var reader = new LengthPrefixedMessageReader(pipe.Reader, 1 << 20);

        Task writing = Task.Run(async () =>
        {
            foreach (byte b in stream.AsSpan(0, 64).ToArray())
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.WriteAsync(stream.AsMemory(64));
            await pipe.Writer.CompleteAsync();
        });
        var sizes = new List<int>();
        while (await reader.ReadAsync(Payload.Parser, CancellationToken.None) is { } payload)
        {
            sizes.Add(payload.Body.Length);
        }

        await writing;
        Assert.Equal([3, 0, 70_000], sizes);
    }

    [Fact]
    public async Task Several_messages_in_one_chunk_are_all_read()
    {
        var reader = Reader([.. Frame(1), .. Frame(2), .. Frame(3)], 1024);

        Assert.Equal(1, (await reader.ReadAsync(Payload.Parser, default))!.Body.Length);
        Assert.Equal(2, (await reader.ReadAsync(Payload.Parser, default))!.Body.Length);
        Assert.Equal(3, (await reader.ReadAsync(Payload.Parser, default))!.Body.Length);
        Assert.Null(await reader.ReadAsync(Payload.Parser, default));
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_from_the_prefix_alone()
    {
        var reader = Reader([0, 0xFF, 0xFF, 0xFF, 0xFF], 4 << 20);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Payload.Parser, default));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 1 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 7, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 0, 2, 0xFF, 0xFF })]
    public async Task Truncated_flagged_or_unparsable_frames_are_internal(byte[] stream)
    {
        var reader = Reader(stream, 1024);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadAsync(Payload.Parser, default));

        Assert.Equal(GrpcStatusCode.Internal, error.StatusCode);
    }

    [Fact]
    public void Writer_refuses_a_message_over_the_send_limit()
    {
        var error = Assert.Throws<RpcException>(() =>
            LengthPrefixedMessage.ToArray(new Payload { Body = ByteString.CopyFrom(new byte[100]) }, 50));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void Writer_output_matches_the_wire_format()
    {
        var message = new Payload { Body = ByteString.CopyFrom(1, 2) };

        Assert.Equal(RawGrpc.Frame(message), LengthPrefixedMessage.ToArray(message, int.MaxValue));
    }

    private static byte[] Frame(int size) => RawGrpc.Frame(new Payload { Body = ByteString.CopyFrom(new byte[size]) });

    private static LengthPrefixedMessageReader Reader(byte[] bytes, int limit) =>
        new(PipeReader.Create(new MemoryStream(bytes)), limit);
}
