namespace HyperSwarm.Protocol.Grpc;

/// <summary>Handles a client-streaming call.</summary>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(
    IAsyncStreamReader<TRequest> requests, ServerCallContext context);
