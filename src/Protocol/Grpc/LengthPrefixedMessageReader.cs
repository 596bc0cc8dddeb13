using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Reads length-prefixed messages incrementally from a byte stream whose chunk boundaries
/// have nothing to do with message boundaries (GRPC.md §1.2). The size limit is checked on
/// the prefix, before a single payload byte is buffered.
/// </summary>
internal sealed class LengthPrefixedMessageReader(PipeReader pipe, int maxMessageSize)
{
    /// <summary>
    /// The next message, or null at a clean end of stream. Throws <see cref="RpcException"/>
    /// with INTERNAL for a malformed or truncated frame, RESOURCE_EXHAUSTED over the limit.
    /// </summary>
    public async ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        while (true)
        {
            ReadResult result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (TryReadFrame(buffer, out ReadOnlySequence<byte> payload))
            {
                T message = Parse(parser, payload);
                pipe.AdvanceTo(payload.End);
                return message;
            }

            if (result.IsCompleted)
            {
                pipe.AdvanceTo(buffer.End);
                if (buffer.IsEmpty)
                {
                    return default;
                }

                throw new RpcException(GrpcStatusCode.Internal, "Incomplete message: the stream ended inside a frame.");
            }

            if (result.IsCanceled)
            {
                throw new RpcException(GrpcStatusCode.Cancelled, "The read was cancelled.");
            }

            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private bool TryReadFrame(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < LengthPrefixedMessage.PrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[LengthPrefixedMessage.PrefixLength];
        buffer.Slice(0, LengthPrefixedMessage.PrefixLength).CopyTo(prefix);
        CheckFlag(prefix[0]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)maxMessageSize)
        {
            // Refused on the declared length: a 4 GB prefix is never allocated (GRPC.md §1.2).
            throw new RpcException(
                GrpcStatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxMessageSize})");
        }

        if (buffer.Length - LengthPrefixedMessage.PrefixLength < length)
        {
            return false;
        }

        payload = buffer.Slice(LengthPrefixedMessage.PrefixLength, length);
        return true;
    }

    private static void CheckFlag(byte flag)
    {
        // Only identity encoding is negotiated in v1, so a compressed message can only be
        // a protocol error (grpc-dotnet: INTERNAL); an unknown grpc-encoding is refused
        // earlier with UNIMPLEMENTED.
        if (flag == 1)
        {
            throw new RpcException(GrpcStatusCode.Internal, "Compressed message without a supported grpc-encoding.");
        }

        if (flag != 0)
        {
            throw new RpcException(GrpcStatusCode.Internal, $"Invalid compressed flag {flag}.");
        }
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(GrpcStatusCode.Internal, $"Failed to parse the message: {e.Message}");
        }
    }
}
