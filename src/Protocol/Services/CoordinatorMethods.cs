using Google.Protobuf.Reflection;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Services;

/// <summary>The four methods of the <c>hyperswarm.v1.Coordinator</c> service (coordinator.proto), for the server and its clients.</summary>
public static class CoordinatorMethods
{
    private static readonly ServiceDescriptor Service = CoordinatorReflection.Descriptor.FindTypeByName<ServiceDescriptor>("Coordinator");

    /// <summary>A worker announces itself and receives a lease and the run configuration.</summary>
    public static Method<JoinRequest, JoinResponse> Join { get; } = Method<JoinRequest, JoinResponse>.From(Service, "Join");

    /// <summary>Heartbeats, reports and checkpoint notices up; commands down.</summary>
    public static Method<WorkerMessage, CoordinatorCommand> Session { get; } = Method<WorkerMessage, CoordinatorCommand>.From(Service, "Session");

    /// <summary>The population as it stands.</summary>
    public static Method<GetPopulationRequest, Population> GetPopulation { get; } = Method<GetPopulationRequest, Population>.From(Service, "GetPopulation");

    /// <summary>The event log from a sequence on, then live.</summary>
    public static Method<WatchEventsRequest, PopulationEvent> WatchEvents { get; } = Method<WatchEventsRequest, PopulationEvent>.From(Service, "WatchEvents");
}
