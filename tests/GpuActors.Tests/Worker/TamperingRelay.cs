using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

/// <summary>
/// A Worker service that passes a real worker's checkpoint stream through but flips one byte of
/// the chunk at <paramref name="corruptOffset"/>: corruption in transit, for the fetcher to catch.
/// </summary>
internal sealed class TamperingRelay(Protocol.V1.Worker.WorkerClient source, long corruptOffset) : Protocol.V1.Worker.WorkerBase
{
    public override async Task FetchCheckpoint(FetchCheckpointRequest request, IServerStreamWriter<CheckpointChunk> responseStream, ServerCallContext context)
    {
        using var call = source.FetchCheckpoint(request, cancellationToken: context.CancellationToken);
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(context.CancellationToken))
        {
            if (chunk.Offset == corruptOffset)
            {
                var data = chunk.Data.ToByteArray();
                data[100] ^= 0x01;
                chunk.Data = ByteString.CopyFrom(data);
            }

            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
    }
}
