using Google.Protobuf;
using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Bench.Grpc;

/// <summary>Our side of hyperswarm.bench.v1.Bench: echo, and a stream of identical payloads.</summary>
internal static class BenchService
{
    public static readonly Method<BenchPayload, BenchPayload> Unary =
        Method<BenchPayload, BenchPayload>.From(BenchReflection.Descriptor.Services[0], "Unary");

    public static readonly Method<StreamRequest, BenchPayload> Stream =
        Method<StreamRequest, BenchPayload>.From(BenchReflection.Descriptor.Services[0], "Stream");

    public static ServiceRoutes Routes() => new ServiceRoutes()
        .MapUnary(Unary, static (request, _) => Task.FromResult(request))
        .MapServerStreaming(Stream, StreamAsync);

    private static async Task StreamAsync(StreamRequest request, IServerStreamWriter<BenchPayload> responses, ServerCallContext context)
    {
        var payload = new BenchPayload { Body = ByteString.CopyFrom(new byte[request.Size]) };
        for (int i = 0; i < request.Count; i++)
        {
            await responses.WriteAsync(payload, context.CancellationToken);
        }
    }
}
