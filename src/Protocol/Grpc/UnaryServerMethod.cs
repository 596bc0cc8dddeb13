namespace HyperSwarm.Protocol.Grpc;

/// <summary>Handles a unary call.</summary>
public delegate Task<TResponse> UnaryServerMethod<TRequest, TResponse>(
    TRequest request, ServerCallContext context);
