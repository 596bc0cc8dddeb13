using Google.Protobuf.Reflection;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>The methods of the <c>hyperswarm.v1.Coordinator</c> service a worker calls (coordinator.proto).</summary>
public static class CoordinatorMethods
{
    private static readonly ServiceDescriptor Service = CoordinatorReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Coordinator");

    /// <summary>A worker announces itself and receives a lease.</summary>
    public static Method<JoinRequest, JoinResponse> Join { get; } = Method<JoinRequest, JoinResponse>.From(Service, "Join");

    /// <summary>Reports, heartbeats and checkpoint notices up; commands down.</summary>
    public static Method<WorkerMessage, CoordinatorCommand> Session { get; } = Method<WorkerMessage, CoordinatorCommand>.From(Service, "Session");
}
