namespace HyperSwarm.Protocol.Grpc;

/// <summary>The untyped face of a client call that the public call objects expose.</summary>
internal sealed record ClientCallView(
    IDisposable Call, Func<Task<Metadata>> Headers, Func<GrpcStatus> Status, Func<Metadata> Trailers);
