namespace HyperSwarm.Protocol.Grpc;

/// <summary>Handles a bidirectional streaming call.</summary>
public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(
    IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context);
