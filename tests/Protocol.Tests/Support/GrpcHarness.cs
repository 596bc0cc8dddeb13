using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// A <see cref="GrpcHost"/> on 127.0.0.1:0 serving <see cref="TestServiceImpl"/>, a
/// <see cref="ClusterChannel"/> to it and a generated client on that channel.
/// </summary>
public sealed class GrpcHarness : IAsyncDisposable
{
    private GrpcHarness(TestServiceImpl service, GrpcHost host, GrpcChannel channel)
    {
        Service = service;
        Host = host;
        Channel = channel;
        Client = new TestService.TestServiceClient(channel);
    }

    public TestServiceImpl Service { get; }

    public GrpcHost Host { get; }

    public GrpcChannel Channel { get; }

    public TestService.TestServiceClient Client { get; }

    /// <summary>The host's gRPC address.</summary>
    public Uri Address => Host.Address;

    /// <summary>
    /// Starts the host and connects. <paramref name="channelOptions"/> gets the host's address
    /// (TLS tests pin the certificate of that host, for example); <paramref name="configure"/>
    /// adds to the host before it starts.
    /// </summary>
    public static async Task<GrpcHarness> StartAsync(
        GrpcHostOptions? hostOptions = null,
        Func<Uri, ClusterChannelOptions>? channelOptions = null,
        TestServiceImpl? service = null,
        Action<GrpcHost>? configure = null)
    {
        service ??= new TestServiceImpl();
        var host = new GrpcHost(hostOptions ?? new GrpcHostOptions());
        service.Stopping = host.Stopping;
        host.AddService(service);
        configure?.Invoke(host);
        GrpcChannel? channel = null;
        try
        {
            await host.StartAsync();
            channel = ClusterChannel.Open(host.Address, channelOptions?.Invoke(host.Address));
            var harness = new GrpcHarness(service, host, channel);

            // Connect now, so a test's short deadline measures the call, not connection setup and JIT.
            await harness.Client.UnaryCallAsync(new SimpleRequest());
            return harness;
        }
        catch
        {
            channel?.Dispose();
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Host.DisposeAsync();
    }
}
