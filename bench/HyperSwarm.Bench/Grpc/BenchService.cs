using Google.Protobuf;
using Grpc.Core;

namespace HyperSwarm.Bench.Grpc;

/// <summary>Our side of hyperswarm.bench.v1.Bench: echo, and a stream of identical payloads.</summary>
internal sealed class BenchService : Bench.BenchBase
{
    public override Task<BenchPayload> Unary(BenchPayload request, ServerCallContext context) => Task.FromResult(request);

    public override async Task Stream(StreamRequest request, IServerStreamWriter<BenchPayload> responseStream, ServerCallContext context)
    {
        var payload = new BenchPayload { Body = ByteString.CopyFrom(new byte[request.Size]) };
        for (int i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(payload, context.CancellationToken);
        }
    }
}
