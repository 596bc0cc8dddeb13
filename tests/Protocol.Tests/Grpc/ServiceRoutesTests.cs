using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class ServiceRoutesTests
{
    [Fact]
    public void Routes_are_the_method_paths()
    {
        var routes = new TestService().Routes();

        Assert.Contains("/hyperswarm.testing.v1.TestService/FullDuplexCall", routes.Paths);
        Assert.Equal(4, routes.Paths.Count);
    }

    [Fact]
    public void A_duplicate_route_is_refused()
    {
        var routes = new ServiceRoutes().MapUnary(TestService.UnaryCall, (r, c) => Task.FromResult(new SimpleResponse()));

        Assert.Throws<ArgumentException>(() => routes.MapUnary(TestService.UnaryCall, (r, c) => Task.FromResult(new SimpleResponse())));
    }

    [Fact]
    public void A_handler_of_the_wrong_shape_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new ServiceRoutes().MapDuplexStreaming<StreamingOutputCallRequest, Payload>(
            WrongShape(), (r, w, c) => Task.CompletedTask));
    }

    private static Method<StreamingOutputCallRequest, Payload> WrongShape() => TestService.StreamingOutputCall;
}
