using HyperSwarm.Protocol.Grpc;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>An in-process server on 127.0.0.1:0 serving <see cref="TestService"/>, and a channel to it.</summary>
public sealed class GrpcHarness : IAsyncDisposable
{
    private GrpcHarness(TestService service, GrpcServer server, GrpcChannel channel)
    {
        Service = service;
        Server = server;
        Channel = channel;
    }

    public TestService Service { get; }

    public GrpcServer Server { get; }

    public GrpcChannel Channel { get; }

    public static async Task<GrpcHarness> StartAsync(
        GrpcServerOptions? serverOptions = null, Func<Uri, GrpcChannelOptions>? channelOptions = null, TestService? service = null)
    {
        service ??= new TestService();
        var server = new GrpcServer(service.Routes(), serverOptions ?? new GrpcServerOptions());
        await server.StartAsync();
        var channel = new GrpcChannel(channelOptions?.Invoke(server.Address) ?? new GrpcChannelOptions { Address = server.Address });

        // Connect now, so a test's short deadline measures the call, not connection setup.
        await channel.UnaryAsync(TestService.UnaryCall, new Testing.SimpleRequest());
        return new GrpcHarness(service, server, channel);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}
