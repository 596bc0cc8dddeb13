using Google.Protobuf.Reflection;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Services;

/// <summary>The methods of the <c>hyperswarm.v1.Worker</c> service (worker.proto).</summary>
public static class WorkerMethods
{
    private static readonly ServiceDescriptor Service = WorkerReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Worker");

    /// <summary>Streams one checkpoint file in chunks; the last chunk carries the SHA-256.</summary>
    public static Method<FetchCheckpointRequest, CheckpointChunk> FetchCheckpoint { get; } =
        Method<FetchCheckpointRequest, CheckpointChunk>.From(Service, "FetchCheckpoint");

    /// <summary>The worker's devices and members.</summary>
    public static Method<StatusRequest, WorkerStatus> Status { get; } = Method<StatusRequest, WorkerStatus>.From(Service, "Status");
}
