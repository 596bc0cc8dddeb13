using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class GrpcDispatcherTests
{
    private static readonly ClusterToken Token = new("cluster-token-0123456789");

    [Fact]
    public async Task Call_without_the_token_is_unauthenticated_before_any_handler_runs()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcServerOptions { Token = Token },
            address => new GrpcChannelOptions { Address = address, Token = Token });
        int callsBefore = h.Service.Calls;
        using var anonymous = new GrpcChannel(new GrpcChannelOptions { Address = h.Server.Address });

        var error = await Assert.ThrowsAsync<RpcException>(() => anonymous.UnaryAsync(TestService.UnaryCall, new SimpleRequest()));

        Assert.Equal(GrpcStatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task Call_with_a_wrong_token_is_unauthenticated_and_the_right_one_passes()
    {
        await using var h = await GrpcHarness.StartAsync(
            new GrpcServerOptions { Token = Token },
            address => new GrpcChannelOptions { Address = address, Token = Token });
        using var wrong = new GrpcChannel(new GrpcChannelOptions { Address = h.Server.Address, Token = new ClusterToken("wrong-token-0123456789") });

        var error = await Assert.ThrowsAsync<RpcException>(() => wrong.UnaryAsync(TestService.UnaryCall, new SimpleRequest()));
        var ok = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 1 });

        Assert.Equal(GrpcStatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(1, ok.Payload.Length);
    }

    [Fact]
    public async Task Handlers_never_see_the_cluster_token()
    {
        Metadata? seen = null;
        var routes = new ServiceRoutes().MapUnary(TestService.UnaryCall, (request, context) =>
        {
            seen = context.RequestHeaders;
            return Task.FromResult(new SimpleResponse());
        });
        await using var server = new GrpcServer(routes, new GrpcServerOptions { Token = Token });
        await server.StartAsync();
        using var channel = new GrpcChannel(new GrpcChannelOptions { Address = server.Address, Token = Token });

        await channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest(), new CallOptions(new Metadata().Add("x-a", "b")));

        Assert.Equal("b", seen!.GetValue("x-a"));
        Assert.Null(seen.GetValue("authorization"));
    }

    [Fact]
    public async Task Non_post_requests_are_refused_with_405()
    {
        await using var h = await GrpcHarness.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(h.Server.Address, "/hyperswarm.testing.v1.TestService/UnaryCall"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request);

        Assert.Equal(405, (int)response.StatusCode);
    }
}
