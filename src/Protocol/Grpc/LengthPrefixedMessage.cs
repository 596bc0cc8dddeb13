using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Writes the 5-byte gRPC message prefix and the serialized message (GRPC.md §1.2):
/// flag 0 (identity encoding only in v1), then the big-endian length.
/// </summary>
internal static class LengthPrefixedMessage
{
    public const int PrefixLength = 5;

    /// <summary>The default receive limit, as grpc-dotnet's DefaultReceiveMaxMessageSize.</summary>
    public const int DefaultMaxReceiveSize = 4 * 1024 * 1024;

    /// <summary>Serializes <paramref name="message"/> with its prefix into <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IMessage message, int maxSize)
    {
        int size = CheckSize(message, maxSize);
        Span<byte> prefix = output.GetSpan(PrefixLength);
        WritePrefix(prefix, size);
        output.Advance(PrefixLength);
        if (size > 0)
        {
            message.WriteTo(output);
        }
    }

    /// <summary>Serializes <paramref name="message"/> with its prefix into a new array.</summary>
    public static byte[] ToArray(IMessage message, int maxSize)
    {
        int size = CheckSize(message, maxSize);
        var frame = new byte[PrefixLength + size];
        WritePrefix(frame, size);
        message.WriteTo(frame.AsSpan(PrefixLength));
        return frame;
    }

    public static void WritePrefix(Span<byte> prefix, int size)
    {
        prefix[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)size);
    }

    private static int CheckSize(IMessage message, int maxSize)
    {
        int size = message.CalculateSize();
        if (size > maxSize)
        {
            throw new RpcException(
                GrpcStatusCode.ResourceExhausted,
                $"Sending message larger than max ({size} vs. {maxSize})");
        }

        return size;
    }
}
