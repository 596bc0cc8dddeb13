namespace HyperSwarm.Protocol.Grpc;

/// <summary>The four call shapes; on the wire they differ only in message counts (GRPC.md §1.5).</summary>
public enum MethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,
    /// <summary>A stream of requests, one response.</summary>
    ClientStreaming,
    /// <summary>Independent request and response streams.</summary>
    DuplexStreaming,
}
