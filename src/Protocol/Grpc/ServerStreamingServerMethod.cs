namespace HyperSwarm.Protocol.Grpc;

/// <summary>Handles a server-streaming call.</summary>
public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(
    TRequest request, IServerStreamWriter<TResponse> responses, ServerCallContext context);
