using Google.Protobuf;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Adapts a typed handler to a <see cref="ServerCall"/>: enforces the request cardinality
/// of its shape, then reads, invokes and writes (GRPC.md §1.5).
/// </summary>
internal sealed class TypedServerMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, Delegate handler)
    : ServerMethod
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    public override async Task InvokeAsync(ServerCall call)
    {
        ServerCallContext context = call.Context;
        CancellationToken token = context.CancellationToken;
        switch (handler)
        {
            case UnaryServerMethod<TRequest, TResponse> unary:
                TResponse response = await unary(await ReadSingleAsync(call, token), context);
                await call.WriteAsync(response, flush: false, token);
                break;
            case ServerStreamingServerMethod<TRequest, TResponse> serverStreaming:
                await serverStreaming(await ReadSingleAsync(call, token), new ResponseStreamWriter<TResponse>(call), context);
                break;
            case ClientStreamingServerMethod<TRequest, TResponse> clientStreaming:
                call.DisableRequestBodyLimits();
                TResponse total = await clientStreaming(new RequestStreamReader<TRequest>(call, method.RequestParser), context);
                await call.WriteAsync(total, flush: false, token);
                break;
            case DuplexStreamingServerMethod<TRequest, TResponse> duplex:
                call.DisableRequestBodyLimits();
                await duplex(new RequestStreamReader<TRequest>(call, method.RequestParser), new ResponseStreamWriter<TResponse>(call), context);
                break;
        }
    }

    private async Task<TRequest> ReadSingleAsync(ServerCall call, CancellationToken token)
    {
        // Cardinality: a unary request is exactly one message. UNIMPLEMENTED, as
        // statuscodes.md says, for both 0 and 2 (GRPC.md §1.4).
        TRequest request = await call.ReadAsync(method.RequestParser, token)
            ?? throw new RpcException(GrpcStatusCode.Unimplemented, "Request ended without a message; expected exactly one.");
        if (await call.ReadAsync(method.RequestParser, token) is not null)
        {
            throw new RpcException(GrpcStatusCode.Unimplemented, "More than one request message; expected exactly one.");
        }

        return request;
    }
}
