using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class MethodTests
{
    [Fact]
    public void Methods_take_path_and_shape_from_the_service_descriptor()
    {
        var service = CoordinatorReflection.Descriptor.Services[0];

        var join = Method<JoinRequest, JoinResponse>.From(service, "Join");
        var session = Method<WorkerMessage, CoordinatorCommand>.From(service, "Session");
        var watch = Method<WatchEventsRequest, PopulationEvent>.From(service, "WatchEvents");

        Assert.Equal(("/hyperswarm.v1.Coordinator/Join", MethodType.Unary), (join.FullName, join.Type));
        Assert.Equal(MethodType.DuplexStreaming, session.Type);
        Assert.Equal(MethodType.ServerStreaming, watch.Type);
        Assert.Equal(MethodType.ClientStreaming, TestService.StreamingInputCall.Type);
    }

    [Fact]
    public void Wrong_message_types_or_names_are_refused()
    {
        var service = CoordinatorReflection.Descriptor.Services[0];

        Assert.Throws<ArgumentException>(() => Method<JoinResponse, JoinRequest>.From(service, "Join"));
        Assert.Throws<ArgumentException>(() => Method<JoinRequest, JoinResponse>.From(service, "Leave"));
    }
}
